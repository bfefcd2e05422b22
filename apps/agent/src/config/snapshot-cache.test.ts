import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotCache } from './snapshot-cache';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'agent-cache-'));
}

describe('SnapshotCache', () => {
  it('loads null when there is no file', async () => {
    expect(await new SnapshotCache(join(await tempDir(), 'missing')).load()).toBeNull();
  });

  it('saves into a directory it creates and loads it back, leaving no temporary file', async () => {
    const dir = join(await tempDir(), 'nested', 'cache');
    const cache = new SnapshotCache(dir);
    await cache.save({ revision: 3, hash: 'h', config: { balancers: [], routes: [] } });
    expect(await cache.load()).toEqual({ revision: 3, hash: 'h', config: { balancers: [], routes: [] } });
    expect(await readdir(dir)).toEqual(['snapshot.json']);
  });

  it('the last of concurrent saves lands', async () => {
    const cache = new SnapshotCache(await tempDir());
    await Promise.all(Array.from({ length: 20 }, (_, revision) => cache.save({ revision, hash: 'h', config: {} })));
    expect(JSON.parse(await readFile(cache.path, 'utf8'))).toMatchObject({ revision: 19 });
  });

  it('throws on a file that is not JSON', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'snapshot.json'), '{not json');
    await expect(new SnapshotCache(dir).load()).rejects.toThrow(SyntaxError);
  });
});
