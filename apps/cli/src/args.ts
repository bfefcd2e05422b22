import { parseArgs } from 'node:util';

/** What `npm run config -- …` was asked to do. */
export type CliCommand =
  | { name: 'export'; file: string | null; format: 'yaml' | 'json'; ids: boolean }
  | { name: 'diff'; file: string }
  | { name: 'apply'; file: string; dryRun: boolean; ifMatch: number | null }
  | { name: 'help' };

/** The usage text printed by `help` and after a usage error. */
export const USAGE = `Usage: npm run config -- <command> [options]

  export [FILE] [--json] [--ids]   write the whole configuration to FILE (stdout without FILE);
                                   YAML unless --json or FILE ends in .json; --ids keeps entity ids
  diff FILE                        show what applying FILE would change (a dry run); exit 0 when
                                   nothing would change, 2 when something would
  apply FILE [--dry-run] [--if-match N]
                                   make the configuration equal FILE in one revision; --dry-run
                                   writes nothing and shows the diff; --if-match N refuses (412)
                                   unless the configuration is still at revision N

Environment: SWITCHBOARD_API_URL (default http://127.0.0.1:4000), SWITCHBOARD_TOKEN (an API
token; admin for apply). A private CA: NODE_EXTRA_CA_CERTS=/path/ca.pem.`;

/** A command line that cannot be run; the message names the argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses the arguments after `npm run config --` (node:util parseArgs, strict: an unknown
 * option is an error).
 * @throws UsageError naming the missing or bad argument.
 */
export function parseCommand(argv: readonly string[]): CliCommand {
  const { values, positionals } = parse(argv);
  const [name, file, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  switch (name) {
    case undefined:
    case 'help':
      return { name: 'help' };
    case 'export':
      return { name: 'export', file: file ?? null, format: values.json || file?.endsWith('.json') ? 'json' : 'yaml', ids: values.ids ?? false };
    case 'diff':
      return { name: 'diff', file: required(file, 'diff') };
    case 'apply':
      return { name: 'apply', file: required(file, 'apply'), dryRun: values['dry-run'] ?? false, ifMatch: revisionOf(values['if-match']) };
    default:
      throw new UsageError(`unknown command: ${name} (export, diff or apply)`);
  }
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, ids: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'if-match': { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function required(file: string | undefined, command: string): string {
  if (!file) throw new UsageError(`${command} needs a FILE (YAML or JSON)`);
  return file;
}

function revisionOf(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`--if-match must be a revision number, not ${JSON.stringify(raw)}`);
  return Number(raw);
}
