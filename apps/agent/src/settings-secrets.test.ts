import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from './settings';
import { TestPki } from './testing/certs';

const base = { SWITCHBOARD_AGENT_TOKEN: 'secret' };
const control = (url: string, more: Record<string, string> = {}) => loadSettings({ ...base, SWITCHBOARD_CONTROL_URL: url, ...more });

describe('SWITCHBOARD_CONTROL_URL in clear to another host', () => {
  it.each(['ws://10.1.2.3:4000', 'http://10.1.2.3:4000', 'ws://cp.example.com', 'ws://[2001:db8::1]:4000', 'ws://0.0.0.0:4000', 'ws://localhost.example.com'])('refuses %s, naming the variable and why', (url) => {
    const load = () => control(url);
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(/SWITCHBOARD_CONTROL_URL: .* is neither encrypted nor loopback: the agent token would cross the network in clear; .*SWITCHBOARD_ALLOW_INSECURE_CONTROL=1/);
  });

  it('accepts it with SWITCHBOARD_ALLOW_INSECURE_CONTROL=1, not with 0', () => {
    expect(control('ws://10.1.2.3:4000', { SWITCHBOARD_ALLOW_INSECURE_CONTROL: '1' }).controlUrl).toBe('ws://10.1.2.3:4000/agents/connect');
    expect(() => control('ws://10.1.2.3:4000', { SWITCHBOARD_ALLOW_INSECURE_CONTROL: '0' })).toThrow(/SWITCHBOARD_CONTROL_URL: .* in clear/);
    expect(() => control('ws://10.1.2.3:4000', { SWITCHBOARD_ALLOW_INSECURE_CONTROL: 'yes' })).toThrow(/SWITCHBOARD_ALLOW_INSECURE_CONTROL: must be 0 or 1/);
  });

  it.each(['ws://127.0.0.1:4000', 'ws://127.8.9.10:4000', 'ws://[::1]:4000', 'ws://localhost:4000', 'http://LOCALHOST:4000', 'ws://[::ffff:127.0.0.1]:4000', 'wss://10.1.2.3:4000', 'https://cp.example.com'])('accepts %s (loopback or encrypted)', (url) => {
    expect(control(url).controlUrl).toMatch(/\/agents\/connect$/);
  });

  it('reports it together with the other bad variables', () => {
    expect(() => loadSettings({ SWITCHBOARD_CONTROL_URL: 'ws://10.1.2.3:4000' })).toThrow(/SWITCHBOARD_AGENT_TOKEN: is required.*SWITCHBOARD_CONTROL_URL: .* in clear|SWITCHBOARD_CONTROL_URL: .* in clear.*SWITCHBOARD_AGENT_TOKEN: is required/);
  });
});

describe('files read at start', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = new TestPki();
  });
  afterAll(() => pki.remove());

  it('reads SWITCHBOARD_CONTROL_CA_FILE, and names it when it holds no certificate or is missing', () => {
    expect(control('wss://cp.example.com', { SWITCHBOARD_CONTROL_CA_FILE: pki.ca.certFile }).controlCa).toEqual({ file: pki.ca.certFile, pem: pki.ca.cert });
    const garbage = pki.write('garbage.pem', 'not PEM\n');
    expect(() => control('wss://cp.example.com', { SWITCHBOARD_CONTROL_CA_FILE: garbage })).toThrow(`SWITCHBOARD_CONTROL_CA_FILE: ${garbage} holds no PEM certificate`);
    expect(() => control('wss://cp.example.com', { SWITCHBOARD_CONTROL_CA_FILE: join(pki.dir, 'missing.pem') })).toThrow(/SWITCHBOARD_CONTROL_CA_FILE: cannot be read \(ENOENT/);
  });

  it.each([':9901', '0.0.0.0:9901', '[::]:9901', '10.0.0.7:9901', 'agent.example.com:9901'])('requires SWITCHBOARD_ADMIN_TOKEN_FILE with SWITCHBOARD_ADMIN_LISTEN=%s', (listen) => {
    expect(() => control('ws://127.0.0.1:4000', { SWITCHBOARD_ADMIN_LISTEN: listen })).toThrow(/SWITCHBOARD_ADMIN_TOKEN_FILE: is required when SWITCHBOARD_ADMIN_LISTEN is not loopback .*: \/config shows member URLs/);
  });

  it('reads the admin token, dropping the final newline; optional on loopback but kept when set', () => {
    const file = pki.write('admin-token', 'abcdefghijklmnop0123\n');
    expect(control('ws://127.0.0.1:4000', { SWITCHBOARD_ADMIN_LISTEN: '0.0.0.0:9901', SWITCHBOARD_ADMIN_TOKEN_FILE: file }).adminToken).toBe('abcdefghijklmnop0123');
    expect(control('ws://127.0.0.1:4000', { SWITCHBOARD_ADMIN_LISTEN: '[::1]:9901' }).adminToken).toBeNull();
    expect(control('ws://127.0.0.1:4000', { SWITCHBOARD_ADMIN_TOKEN_FILE: file }).adminToken).toBe('abcdefghijklmnop0123');
  });

  it.each([
    ['short', 'fifteen-chars!!\n'],
    ['spaced', 'abcdefgh ijklmnopq\n'],
    ['empty', ''],
  ])('refuses a %s admin token, naming the file', (name, content) => {
    const file = pki.write(`${name}-token`, content);
    expect(() => control('ws://127.0.0.1:4000', { SWITCHBOARD_ADMIN_LISTEN: '0.0.0.0:9901', SWITCHBOARD_ADMIN_TOKEN_FILE: file })).toThrow(
      `SWITCHBOARD_ADMIN_TOKEN_FILE: ${file} must hold one token of at least 16 printable ASCII characters without spaces`,
    );
  });

  it('names an unreadable admin token file', () => {
    expect(() => control('ws://127.0.0.1:4000', { SWITCHBOARD_ADMIN_TOKEN_FILE: join(pki.dir, 'none') })).toThrow(/SWITCHBOARD_ADMIN_TOKEN_FILE: cannot be read \(ENOENT/);
  });
});
