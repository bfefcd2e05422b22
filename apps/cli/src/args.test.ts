import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from './args';

describe('parseCommand', () => {
  it('reads export with its format from the flag or the file name', () => {
    expect(parseCommand(['export'])).toEqual({ name: 'export', file: null, format: 'yaml', ids: false });
    expect(parseCommand(['export', 'c.yaml', '--ids'])).toEqual({ name: 'export', file: 'c.yaml', format: 'yaml', ids: true });
    expect(parseCommand(['export', 'c.json'])).toMatchObject({ format: 'json' });
    expect(parseCommand(['export', '--json'])).toMatchObject({ file: null, format: 'json' });
  });

  it('reads diff and apply with their options', () => {
    expect(parseCommand(['diff', 'c.yaml'])).toEqual({ name: 'diff', file: 'c.yaml' });
    expect(parseCommand(['apply', 'c.yaml'])).toEqual({ name: 'apply', file: 'c.yaml', dryRun: false, ifMatch: null });
    expect(parseCommand(['apply', 'c.yaml', '--dry-run', '--if-match', '12'])).toEqual({ name: 'apply', file: 'c.yaml', dryRun: true, ifMatch: 12 });
    expect(parseCommand([])).toEqual({ name: 'help' });
  });

  it.each([
    [['diff'], 'diff needs a FILE'],
    [['apply'], 'apply needs a FILE'],
    [['apply', 'c.yaml', '--if-match', 'x1'], '--if-match must be a revision number'],
    [['apply', 'c.yaml', '--if-match=-1'], '--if-match must be a revision number'],
    [['import', 'c.yaml'], 'unknown command: import'],
    [['apply', 'a.yaml', 'b.yaml'], 'unexpected argument: b.yaml'],
    [['apply', 'c.yaml', '--force'], "Unknown option '--force'"],
  ])('refuses %j naming the problem', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
