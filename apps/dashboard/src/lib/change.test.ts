import { describe, expect, it } from 'vitest';
import type { ConfigChange } from '@switchboard/protocol';
import { changeSummary, describeChange, diffLines, formatValue, isDryRunChange } from './change';

const change: ConfigChange = {
  dryRun: true,
  revision: 7,
  diff: {
    from: { revision: 7, hash: 'a'.repeat(64) },
    to: { revision: null, hash: 'b'.repeat(64) },
    changes: [{ kind: 'member', op: 'changed', balancer: 'chat', key: 'ws://10.0.0.5:8000', fields: [{ path: 'weight', before: 1, after: 5 }] }],
    text: '--- a\n+++ b\n@@ -1,2 +1,2 @@\n members:\n-  weight: 1\n+  weight: 5\n',
  },
};

describe('dry-run helpers', () => {
  it('tells a dry run answer from a written resource', () => {
    expect(isDryRunChange(change)).toBe(true);
    expect(isDryRunChange({ ...change, dryRun: false })).toBe(false);
    expect(isDryRunChange({ id: 'm1', url: 'ws://a:1', weight: 5 })).toBe(false);
    expect(isDryRunChange(null)).toBe(false);
  });

  it('describes each change and its fields readably', () => {
    expect(describeChange(change.diff.changes[0])).toEqual({ title: 'member ws://10.0.0.5:8000 in chat: changed', fields: ['weight: 1 → 5'] });
    expect(describeChange({ kind: 'balancer', op: 'added', balancer: 'api', key: 'api', fields: [{ path: 'lbMethod', after: 'p2c' }] })).toEqual({ title: 'balancer api: added', fields: ['lbMethod: "p2c"'] });
    expect(describeChange({ kind: 'route', op: 'removed', balancer: 'api', key: '* prefix /api any', fields: [{ path: 'priority', before: 0 }] })).toEqual({ title: 'route * prefix /api any → api: removed', fields: ['priority: was 0'] });
    expect(describeChange({ kind: 'balancer', op: 'changed', balancer: 'api', key: 'api', fields: [{ path: 'tls.serverName', before: null, after: 'x.example' }, { path: 'sticky.name' }] }).fields).toEqual([
      'tls.serverName: none → "x.example"',
      'sticky.name: — → —',
    ]);
  });

  it('formats values', () => {
    expect([formatValue(undefined), formatValue(null), formatValue('a'), formatValue(3), formatValue(false), formatValue({ a: 1 })]).toEqual(['—', 'none', '"a"', '3', 'false', '{"a":1}']);
  });

  it('summarises a preview against its revision', () => {
    expect(changeSummary(change)).toBe('1 change against revision 7');
    expect(changeSummary({ ...change, diff: { ...change.diff, changes: [] } })).toBe('No change against revision 7');
  });

  it('classifies unified diff lines, headers only before the first hunk', () => {
    expect(diffLines(change.diff.text).map((l) => l.kind)).toEqual(['header', 'header', 'hunk', 'context', 'removed', 'added']);
    expect(diffLines('@@ -1 +1 @@\n---- x\n+++ y').map((l) => l.kind)).toEqual(['hunk', 'removed', 'added']);
    expect(diffLines('')).toEqual([]);
  });
});
