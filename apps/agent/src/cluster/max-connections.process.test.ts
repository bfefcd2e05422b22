import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, startAgentProcess } from '../testing/agent-process';
import type { AgentProcess } from '../testing/agent-process';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { waitFor } from '../testing/wait';

/**
 * SWITCHBOARD_MAX_CONNECTIONS with SWITCHBOARD_WORKERS=2 is split, not per process: a cap of 2
 * gives each worker 1. With the cluster's round robin, connections alternate between workers,
 * so the third lands on a worker already holding one and gets 503, where a per-process cap
 * would have let the agent hold 4.
 */
describe('SWITCHBOARD_MAX_CONNECTIONS with workers', () => {
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let controlPlane: FakeControlPlane;
  let recorder: RecordingMember;
  let agent: AgentProcess;
  let port: number;

  beforeAll(async () => {
    const built = await buildAgent();
    cleanup = built.cleanup;
    controlPlane = await new FakeControlPlane().start();
    recorder = await new RecordingMember().start();
    controlPlane.snapshot = snapshotOf(1, singleBalancer([member('m1', recorder.url())]));
    agent = await startAgentProcess(built.mainJs, controlPlane.url, {
      SWITCHBOARD_WORKERS: '2',
      SWITCHBOARD_MAX_CONNECTIONS: '2',
      NODE_CLUSTER_SCHED_POLICY: 'rr',
    }, 20_000);
    port = agent.port;
    await controlPlane.next('ack', (ack) => ack.revision === 1);
  }, 60_000);

  afterAll(async () => {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
    await controlPlane.close();
    await recorder.close();
    await cleanup();
  });

  it('gives each worker ⌈2 ÷ 2⌉ = 1 connection: the third connection gets 503', async () => {
    const clients: RawPeer[] = [];
    for (const path of ['/one', '/two', '/three']) {
      const client = await RawPeer.connect(port);
      clients.push(client);
      client.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitFor(() => client.closed || client.text.includes(`seen GET ${path}`), `an answer to ${path}`);
    }
    expect(clients.map((client) => client.text.match(/^HTTP\/1\.1 (\d+)/)?.[1])).toEqual(['200', '200', '503']);
    expect(clients[2]!.text.endsWith('too many connections: this agent process holds its maximum of 1 (SWITCHBOARD_MAX_CONNECTIONS)')).toBe(true);
    expect(clients[2]!.closed).toBe(true);
    expect(recorder.urls).toEqual(['/one', '/two']);
    for (const client of clients) client.socket.destroy();
  });
});
