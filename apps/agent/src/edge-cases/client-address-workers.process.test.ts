import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, startAgentProcess } from '../testing/agent-process';
import type { AgentProcess } from '../testing/agent-process';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';
import { proxyV1 } from '../testing/proxy-headers';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';

// SWITCHBOARD_PROXY_PROTOCOL and SWITCHBOARD_TRUSTED_PROXIES reach every worker of a built agent
// (SWITCHBOARD_WORKERS=2, connections handed out round robin): each connection's PROXY header
// is read and its address trusted or not, whichever worker takes it.

describe('client addresses with workers (a built agent in its own processes)', () => {
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let controlPlane: FakeControlPlane;
  let recorder: RecordingMember;
  let agent: AgentProcess;
  let port: number;

  beforeAll(async () => {
    let mainJs: string;
    ({ mainJs, cleanup } = await buildAgent());
    controlPlane = await new FakeControlPlane().start();
    recorder = await new RecordingMember().start();
    controlPlane.snapshot = snapshotOf(1, singleBalancer([member('m1', recorder.url())]));
    agent = await startAgentProcess(mainJs, controlPlane.url, {
      SWITCHBOARD_WORKERS: '2',
      SWITCHBOARD_PROXY_PROTOCOL: '1',
      SWITCHBOARD_TRUSTED_PROXIES: '203.0.113.0/24',
      NODE_CLUSTER_SCHED_POLICY: 'rr',
    }, 20_000);
    port = agent.port;
    await controlPlane.next('ack', (ack) => ack.revision === 1);
  }, 120_000);

  afterAll(async () => {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
    await controlPlane.close();
    await recorder.close();
    await cleanup();
  });

  it('every worker reads the PROXY header and applies the trusted list', async () => {
    for (let i = 0; i < 4; i += 1) {
      // Alternately a trusted and an untrusted carried address, each claiming 6.6.6.6.
      const address = i % 2 === 0 ? '203.0.113.7' : '198.51.100.23';
      const client = await RawPeer.connect(port);
      client.write(`${proxyV1(address)}GET /w${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n`);
      await client.whenClosed();
      expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
    const seen = recorder.requests.map((request) => [request.url, request.headers['x-forwarded-for'], request.headers['x-real-ip']]);
    expect(seen).toEqual([
      ['/w0', '6.6.6.6, 203.0.113.7', '6.6.6.6'],
      ['/w1', '198.51.100.23', '198.51.100.23'],
      ['/w2', '6.6.6.6, 203.0.113.7', '6.6.6.6'],
      ['/w3', '198.51.100.23', '198.51.100.23'],
    ]);
    // Without a header, every worker closes the connection unanswered.
    for (let i = 0; i < 2; i += 1) expect(await RawPeer.exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('');
  });
});
