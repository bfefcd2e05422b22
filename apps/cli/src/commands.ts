import { readFile, writeFile } from 'node:fs/promises';
import type { ConfigChange } from '@switchboard/api-client';
import { parse } from 'yaml';
import type { CliCommand } from './args';
import { report } from './report';

/** The control-plane calls the CLI makes (implemented over the generated client in config-api.ts). */
export interface ConfigApi {
  /** GET /api/v1/config as YAML or JSON text; `ids` keeps entity ids. */
  exportConfig(format: 'yaml' | 'json', ids: boolean): Promise<string>;
  /** PUT /api/v1/config (with ?dryRun=true and If-Match when asked). */
  applyConfig(document: unknown, options: { dryRun: boolean; ifMatch: number | null }): Promise<ConfigChange>;
}

/** A file that cannot be read or parsed; the message names the file and, for YAML, line and column. */
export class FileError extends Error {
  override readonly name = 'FileError';
}

/** Exit codes: 0 done (diff: nothing would change), 2 diff found changes (as diff(1) and `terraform plan -detailed-exitcode`). */
export const EXIT_CHANGES = 2;

/**
 * Runs one command; `out` receives what is printed on stdout.
 * @returns the process exit code.
 * @throws FileError, or whatever the ConfigApi throws (ApiError, network errors).
 */
export async function runCommand(command: CliCommand, api: ConfigApi, out: (text: string) => void, usage: string): Promise<number> {
  switch (command.name) {
    case 'help':
      out(usage);
      return 0;
    case 'export': {
      const text = await api.exportConfig(command.format, command.ids);
      if (command.file === null) out(text.trimEnd());
      else {
        await writeFile(command.file, text);
        out(`Wrote ${command.file}.`);
      }
      return 0;
    }
    case 'diff': {
      const change = await api.applyConfig(await readDocument(command.file), { dryRun: true, ifMatch: null });
      out(report(change));
      return change.diff.changes.length > 0 ? EXIT_CHANGES : 0;
    }
    case 'apply': {
      const change = await api.applyConfig(await readDocument(command.file), { dryRun: command.dryRun, ifMatch: command.ifMatch });
      out(report(change));
      return 0;
    }
  }
}

/** FILE parsed as YAML (JSON is YAML too). @throws FileError naming the file, line and column. */
export async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FileError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parse(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (err) {
    const at = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = at ? `${file}:${at.line}:${at.col}` : file;
    throw new FileError(`${where}: not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}
