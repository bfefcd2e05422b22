import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../testing/agent-harness';
import type { RunningAgent } from '../testing/agent-harness';
import { startBackends } from '../testing/backends';
import type { Backend } from '../testing/backends';
import { TestPki } from '../testing/certs';
import type { TestCertificate } from '../testing/certs';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';
import { waitFor } from '../testing/wait';

// A wss:// control URL is verified as any TLS client does: the control plane's certificate must
// chain to Node's CAs or to SWITCHBOARD_CONTROL_CA_FILE and name the URL's host. A refused
// certificate is logged with its reason and retried on the normal backoff; the agent token is
// never sent (the handshake fails before the upgrade request) and the agent keeps running.

type Line = { msg: string; level: number } & Record<string, unknown>;

let pki: TestPki;
let backend: Backend;
const running: { agent?: RunningAgent; controlPlane?: FakeControlPlane } = {};

beforeAll(async () => {
  pki = new TestPki();
  [backend] = (await startBackends(1)) as [Backend];
});

afterAll(async () => {
  await backend.close();
  pki.remove();
});

async function cleanup(): Promise<void> {
  await running.agent?.stop();
  await running.controlPlane?.close();
  running.agent = undefined;
  running.controlPlane = undefined;
}

/** A control plane serving wss with `certificate`, and an agent dialling it with `env` added; logs collected. */
async function start(certificate: TestCertificate, env: Record<string, string>): Promise<{ agent: RunningAgent; controlPlane: FakeControlPlane; lines: Line[] }> {
  const controlPlane = await new FakeControlPlane('agent-token', { tls: { cert: certificate.cert, key: certificate.key } }).start();
  controlPlane.snapshot = snapshotOf(4, singleBalancer([member('m1', backend.url('http'))]));
  running.controlPlane = controlPlane;
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  const agent = await startAgent(controlPlane.url, { logger, env });
  running.agent = agent;
  return { agent, controlPlane, lines };
}

describe('control channel over wss', () => {
  it('with SWITCHBOARD_CONTROL_CA_FILE: connects, acks the snapshot and serves it', async () => {
    try {
      const { agent, controlPlane, lines } = await start(pki.issue('control-plane', ['127.0.0.1']), { SWITCHBOARD_CONTROL_CA_FILE: pki.ca.certFile });
      expect(controlPlane.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
      const ack = await controlPlane.next('ack');
      expect(ack).toEqual({ type: 'ack', revision: 4, hash: controlPlane.snapshot!.hash });
      const res = await fetch(agent.http('/'));
      expect(((await res.json()) as { backend: string }).backend).toBe('b1');
      expect(controlPlane.tlsFailures).toBe(0);
      expect(lines.find((line) => line.msg === 'control channel open')).toMatchObject({ url: `${controlPlane.url}/agents/connect` });
    } finally {
      await cleanup();
    }
  });

  it.each([
    ['a CA the agent was not given (no SWITCHBOARD_CONTROL_CA_FILE)', () => pki.issue('unknown-ca', ['127.0.0.1']), {}, /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/],
    ['a self-signed certificate', () => pki.selfSigned('self-signed', ['127.0.0.1']), { SWITCHBOARD_CONTROL_CA_FILE: 'CA' }, /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/],
    ['a certificate for another name', () => pki.issue('other-name', ['cp.example.com']), { SWITCHBOARD_CONTROL_CA_FILE: 'CA' }, /^ERR_TLS_CERT_ALTNAME_INVALID$/],
  ])('refuses %s: logged with the reason, retried on backoff, token never sent, agent running', async (_name, certificate, env: Record<string, string>, code) => {
    try {
      const caEnv = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value === 'CA' ? pki.ca.certFile : value]));
      const { agent, controlPlane, lines } = await start(certificate(), caEnv);
      await waitFor(() => controlPlane.tlsFailures >= 3, 'three refused handshakes', 10_000);
      const refused = lines.filter((line) => line.msg.startsWith('control plane certificate refused'));
      expect(refused.length).toBeGreaterThanOrEqual(3);
      expect(refused[0]).toMatchObject({ level: 50, url: `${controlPlane.url}/agents/connect`, code: expect.stringMatching(code) as unknown });
      expect(lines.filter((line) => line.msg === 'control channel closed').every((line) => typeof line['retryInMs'] === 'number')).toBe(true);
      expect(controlPlane.upgrades).toBe(0);
      expect(controlPlane.messages).toEqual([]);
      expect((await fetch(agent.admin('/healthz'))).status).toBe(200);
    } finally {
      await cleanup();
    }
  });
});
