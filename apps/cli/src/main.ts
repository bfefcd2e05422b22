import { parseCommand, USAGE, UsageError } from './args';
import { FileError, runCommand } from './commands';
import { ApiError, configApi } from './config-api';

/**
 * `npm run config -- export|diff|apply …`: the whole configuration as a file, for automation
 * and CI pipelines, over the generated API client. Exit 0 done, 2 `diff` found changes,
 * 1 an error (printed on stderr with every field the API named), 64 a usage error (EX_USAGE).
 */
async function main(): Promise<number> {
  // `npm run` starts scripts in the package root; FILE arguments are relative to where the user typed the command.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const apiUrl = process.env.SWITCHBOARD_API_URL || 'http://127.0.0.1:4000';
  try {
    const command = parseCommand(process.argv.slice(2));
    const token = process.env.SWITCHBOARD_TOKEN ?? '';
    if (command.name !== 'help' && token === '') throw new UsageError('SWITCHBOARD_TOKEN is not set (an API token; admin for apply)');
    return await runCommand(command, configApi(apiUrl, token), (text) => process.stdout.write(`${text}\n`), USAGE);
  } catch (err) {
    return fail(err, apiUrl);
  }
}

function fail(err: unknown, apiUrl: string): number {
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
    return 64;
  }
  process.stderr.write(`error: ${messageOf(err, apiUrl)}\n`);
  return 1;
}

/** What went wrong, in one line (an API problem: with one line per field). */
function messageOf(err: unknown, apiUrl: string): string {
  if (err instanceof ApiError || err instanceof FileError) return err.message;
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = err.cause as { code?: string; message?: string } | undefined;
    return `cannot reach the control plane at ${apiUrl}: ${cause?.code ?? cause?.message ?? 'no answer'}`;
  }
  return err instanceof Error ? err.message : String(err);
}

void main().then((code) => {
  process.exitCode = code;
});
