import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { agentAtRevision, createBalancer } from './support/config';
import { ROOT } from './support/processes';
import { startStack, type Stack } from './support/stack';

// `npm run config -- export|diff|apply` as a real process against a real stack: the sequence a
// newcomer runs (export, edit, diff, dry run, apply), and the errors an automation job must see
// named (bad file, bad field, stale If-Match, missing token, wrong role, no control plane).

const CLI = join(ROOT, 'dist/cli/apps/cli/src/main.js');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe('config CLI (npm run config)', () => {
  let stack: Stack;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** Runs the CLI with `args`; never throws on a non-zero exit. */
  async function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Outcome> {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...env, ...extraEnv }, cwd: dir, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const failed = err as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  async function revision(): Promise<number> {
    return (await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1')).body[0].number;
  }

  beforeAll(async () => {
    stack = await startStack();
    dir = await mkdtemp(join(tmpdir(), 'sb-cli-'));
    env = { PATH: process.env.PATH, SWITCHBOARD_API_URL: stack.apiUrl, SWITCHBOARD_TOKEN: stack.adminToken };
    await createBalancer(stack, 'chat', [
      { url: 'ws://127.0.0.1:9101', name: 'chat-a' },
      { url: 'ws://127.0.0.1:9102', name: 'chat-b' },
    ]);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exports, diffs, dry-runs and applies an edited file, as one revision the agent serves', async () => {
    const exported = await cli(['export', 'switchboard.yaml']);
    expect(exported).toMatchObject({ code: 0, stdout: 'Wrote switchboard.yaml.\n' });
    const text = await readFile(join(dir, 'switchboard.yaml'), 'utf8');
    const document = parse(text) as { balancers: Record<string, { lbMethod: string; members: { url: string; weight: number }[] }> };
    expect(document.balancers.chat.members.map((m) => m.url)).toEqual(['ws://127.0.0.1:9101', 'ws://127.0.0.1:9102']);
    expect(text).not.toMatch(/\bid:/);

    document.balancers.chat.members[1].weight = 5;
    document.balancers.chat.lbMethod = 'p2c';
    await writeFile(join(dir, 'edited.yaml'), stringify(document));
    const before = await revision();

    const diff = await cli(['diff', 'edited.yaml']);
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain('~ balancer chat: lbMethod "bybusyness" → "p2c"');
    expect(diff.stdout).toContain('~ member chat ws://127.0.0.1:9102: weight 1 → 5');
    expect(diff.stdout).toMatch(/^-\s+weight: 1$/m);
    expect(diff.stdout).toMatch(/^\+\s+weight: 5$/m);
    expect(diff.stdout).toContain(`Dry run: nothing written; the configuration is still at revision ${before}.`);

    const dryRun = await cli(['apply', 'edited.yaml', '--dry-run']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('2 change(s):');
    expect(await revision()).toBe(before);

    const applied = await cli(['apply', 'edited.yaml', '--if-match', String(before)]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Applied as revision ${before + 1}.`);
    expect(await revision()).toBe(before + 1);
    const members = await stack.api<{ url: string; weight: number }[]>('GET', `/api/v1/balancers/${(await stack.api<{ id: string; name: string }[]>('GET', '/api/v1/balancers')).body[0].id}/members`);
    expect(members.body.find((m) => m.url === 'ws://127.0.0.1:9102')?.weight).toBe(5);
    await agentAtRevision(stack.agentAdminUrl, before + 1);

    const again = await cli(['diff', 'edited.yaml']);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain(`No changes: the configuration already equals the file (revision ${before + 1}).`);
  });

  it('exports JSON to stdout, with ids on request', async () => {
    const out = await cli(['export', '--json', '--ids']);
    expect(out.code).toBe(0);
    const document = JSON.parse(out.stdout) as { version: number; balancers: Record<string, { id: string }> };
    expect(document.version).toBe(1);
    expect(document.balancers.chat.id).toMatch(/\S/);
  });

  it('names the file, line and column of a YAML error, and every bad field of a document, writing nothing', async () => {
    const before = await revision();
    await writeFile(join(dir, 'broken.yaml'), 'version: 1\nbalancers:\n  chat: [unclosed\n');
    const broken = await cli(['apply', 'broken.yaml']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: broken\.yaml:\d+:\d+: not valid YAML or JSON/);

    await writeFile(join(dir, 'bad.yaml'), stringify({ version: 1, balancers: { chat: { lbMethod: 'fastest', members: [{ url: 'http://user:pw@10.0.0.1' }] } }, routes: [] }));
    const bad = await cli(['apply', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: HTTP 400');
    expect(bad.stderr).toContain('balancers.chat.lbMethod:');
    expect(bad.stderr).toContain('balancers.chat.members.0.url:');
    // References across entities are checked once every field is valid.
    await writeFile(join(dir, 'dangling.yaml'), stringify({ version: 1, balancers: { chat: { members: [] } }, routes: [{ balancer: 'gone', match: { type: 'prefix', path: '/x' } }] }));
    const dangling = await cli(['apply', 'dangling.yaml']);
    expect(dangling.code).toBe(1);
    expect(dangling.stderr).toContain('routes.0.balancer:');
    expect(await revision()).toBe(before);

    const missing = await cli(['diff', 'nowhere.yaml']);
    expect(missing).toMatchObject({ code: 1, stderr: 'error: cannot read nowhere.yaml: ENOENT\n' });
  });

  it('refuses a stale --if-match with 412 and writes nothing', async () => {
    const before = await revision();
    const stale = await cli(['apply', 'switchboard.yaml', '--if-match', String(before - 1)]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^error: HTTP 412: If-Match names revision \d+ but the configuration is at revision \d+/);
    expect(await revision()).toBe(before);
  });

  it('says what is wrong with the token, the role, the command line and the address', async () => {
    const noToken = await cli(['export'], { SWITCHBOARD_TOKEN: '' });
    expect(noToken.code).toBe(64);
    expect(noToken.stderr).toContain('SWITCHBOARD_TOKEN is not set');

    const token = await stack.api<{ token: string }>('POST', '/api/v1/tokens', { name: 'cli-viewer', role: 'viewer' });
    expect(token.status).toBe(201);
    const asViewer = { SWITCHBOARD_TOKEN: token.body.token };
    expect((await cli(['export'], asViewer)).code).toBe(0);
    const forbidden = await cli(['apply', 'switchboard.yaml'], asViewer);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^error: HTTP 403/);

    const usage = await cli(['apply', 'switchboard.yaml', '--force']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain("Unknown option '--force'");
    expect(usage.stderr).toContain('Usage: npm run config --');

    const unreachable = await cli(['export'], { SWITCHBOARD_API_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the control plane at http://127.0.0.1:9');
  });
});
