import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** What the cache file holds: a snapshot as received, `{ revision, hash, config }`. */
export interface CachedSnapshot {
  readonly revision: number;
  readonly hash: string;
  readonly config: unknown;
}

const FILE_NAME = 'snapshot.json';

/**
 * The last good snapshot on disk (`<dir>/snapshot.json`), as Kong's data plane keeps its
 * config: written atomically (temporary file, fsync, rename) so a crash leaves either the
 * old or the new file; saves run one after another so the latest always lands last.
 */
export class SnapshotCache {
  private readonly file: string;
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(private readonly dir: string) {
    this.file = join(dir, FILE_NAME);
  }

  /** Path of the cache file. */
  get path(): string {
    return this.file;
  }

  /**
   * Reads the cached snapshot. Returns null when there is none; throws when the file cannot
   * be read or is not JSON (the caller validates the content, as for any snapshot).
   */
  async load(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as unknown;
  }

  /** Writes a snapshot after every save queued before it. Rejects with the file-system error. */
  save(snapshot: CachedSnapshot): Promise<void> {
    const write = this.queue.then(() => this.write(snapshot));
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(snapshot: CachedSnapshot): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.sequence += 1;
    const temporary = `${this.file}.${process.pid}.${this.sequence}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(snapshot));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
