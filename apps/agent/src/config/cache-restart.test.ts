import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, tempCacheDir } from '../testing/agent-harness';
import type { RunningAgent } from '../testing/agent-harness';
import { closedPort, startBackends } from '../testing/backends';
import type { Backend } from '../testing/backends';
import { closeWebSocket, openWebSocket, roundTrip } from '../testing/clients';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function backend(): Promise<Backend> {
  const [b] = await startBackends(1);
  cleanups.push(() => b!.close());
  return b!;
}

async function agentOn(controlUrl: string, cacheDir: string): Promise<RunningAgent> {
  const agent = await startAgent(controlUrl, { cacheDir });
  cleanups.push(() => agent.stop());
  return agent;
}

describe('disk cache', () => {
  it('a restarted agent serves the cached snapshot with no control plane', async () => {
    const b1 = await backend();
    const cacheDir = await tempCacheDir();
    const controlPlane = await new FakeControlPlane().start();
    const snapshot = snapshotOf(9, singleBalancer([member('m1', b1.url())]));
    controlPlane.snapshot = snapshot;
    const first = await startAgent(controlPlane.url, { cacheDir });
    await controlPlane.next('ack');
    await first.stop();
    const controlUrl = controlPlane.url;
    await controlPlane.close();

    const second = await agentOn(controlUrl, cacheDir);
    const config = (await (await fetch(second.admin('/config'))).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ revision: 9, hash: snapshot.hash, source: 'cache' });
    const ws = await openWebSocket(second.ws('/'));
    expect((await roundTrip(ws, 'from cache')).toString()).toBe('from cache');
    await closeWebSocket(ws);
    expect((await fetch(second.http('/'))).status).toBe(200);
  });

  it('says hello with the cached revision, and a control plane sending the same hash gets an ack without re-apply', async () => {
    const b1 = await backend();
    const cacheDir = await tempCacheDir();
    const snapshot = snapshotOf(4, singleBalancer([member('m1', b1.url())]));
    await writeFile(join(cacheDir, 'snapshot.json'), JSON.stringify(snapshot));
    const controlPlane = await new FakeControlPlane().start();
    cleanups.push(() => controlPlane.close());
    controlPlane.snapshot = snapshot;
    const agent = await agentOn(controlPlane.url, cacheDir);
    expect(await controlPlane.next('hello')).toMatchObject({ revision: 4, hash: snapshot.hash });
    expect(await controlPlane.next('ack')).toEqual({ type: 'ack', revision: 4, hash: snapshot.hash });
    expect(agent.agent.state.current).toMatchObject({ source: 'control-plane', revision: 4 });
  });

  it('ignores a cache file that is corrupt or fails validation', async () => {
    const noControlPlane = `ws://127.0.0.1:${await closedPort()}`;
    for (const content of ['{oops', JSON.stringify({ ...snapshotOf(1, singleBalancer([])), hash: 'a'.repeat(64) })]) {
      const cacheDir = await tempCacheDir();
      await writeFile(join(cacheDir, 'snapshot.json'), content);
      const agent = await agentOn(noControlPlane, cacheDir);
      expect(agent.agent.state.current).toBeNull();
      expect((await fetch(agent.http('/'))).status).toBe(503);
    }
  });
});
