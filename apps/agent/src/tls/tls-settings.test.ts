import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerCredentials, loadSettings, SettingsError } from '../settings';
import { TestPki } from '../testing/certs';
import type { TestCertificate } from '../testing/certs';

const base = { SWITCHBOARD_CONTROL_URL: 'ws://127.0.0.1:4000', SWITCHBOARD_AGENT_TOKEN: 'secret' };
let pki: TestPki;
let server: TestCertificate;
let other: TestCertificate;
let garbage: string;

beforeAll(() => {
  pki = new TestPki();
  server = pki.issue('server', ['localhost']);
  other = pki.issue('other', ['other.example']);
  garbage = pki.write('garbage.pem', 'not PEM at all\n');
});
afterAll(() => pki.remove());

function tlsEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...base, SWITCHBOARD_LISTEN: '10.0.0.1:8080', SWITCHBOARD_TLS_PORT: '8443', SWITCHBOARD_TLS_CERT_FILE: server.certFile, SWITCHBOARD_TLS_KEY_FILE: server.keyFile, ...overrides };
}

describe('TLS settings', () => {
  it('reads the TLS listener and the upstream CA bundle, listening on the plain host by default', () => {
    const settings = loadSettings(tlsEnv({ SWITCHBOARD_UPSTREAM_CA_FILE: pki.ca.certFile }));
    expect(settings.tls).toEqual({ listen: { host: '10.0.0.1', port: 8443 }, cert: { file: server.certFile, pem: server.cert }, key: { file: server.keyFile, pem: server.key } });
    expect(settings.upstreamCa).toEqual({ file: pki.ca.certFile, pem: pki.ca.cert });
  });

  it.each([
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['0.0.0.0', '0.0.0.0'],
  ])('SWITCHBOARD_TLS_HOST %s', (text, host) => expect(loadSettings(tlsEnv({ SWITCHBOARD_TLS_HOST: text })).tls?.listen).toEqual({ host, port: 8443 }));

  it('needs the certificate and the key with a TLS port, and a TLS port for them', () => {
    expect(() => loadSettings({ ...base, SWITCHBOARD_TLS_PORT: '0' })).toThrow(
      'invalid environment: SWITCHBOARD_TLS_CERT_FILE: is required when SWITCHBOARD_TLS_PORT is set; SWITCHBOARD_TLS_KEY_FILE: is required when SWITCHBOARD_TLS_PORT is set',
    );
    expect(() => loadSettings({ ...base, SWITCHBOARD_TLS_HOST: 'localhost', SWITCHBOARD_TLS_KEY_FILE: server.keyFile })).toThrow(
      'invalid environment: SWITCHBOARD_TLS_HOST: is set but SWITCHBOARD_TLS_PORT is not; SWITCHBOARD_TLS_KEY_FILE: is set but SWITCHBOARD_TLS_PORT is not',
    );
  });

  it('names an unreadable or invalid file, its path and the cause, along with other bad variables', () => {
    const missing = join(pki.dir, 'missing.pem');
    const load = () => loadSettings(tlsEnv({ SWITCHBOARD_TLS_CERT_FILE: missing, SWITCHBOARD_TLS_KEY_FILE: garbage, SWITCHBOARD_UPSTREAM_CA_FILE: garbage, SWITCHBOARD_LISTEN: 'x', SWITCHBOARD_TLS_PORT: '70000' }));
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(`SWITCHBOARD_TLS_CERT_FILE: cannot be read (ENOENT: no such file or directory, open '${missing}')`);
    expect(load).toThrow(`SWITCHBOARD_TLS_KEY_FILE: ${garbage} is not an unencrypted PEM private key (`);
    expect(load).toThrow(`SWITCHBOARD_UPSTREAM_CA_FILE: ${garbage} holds no PEM certificate`);
    expect(load).toThrow('SWITCHBOARD_LISTEN: must be');
    expect(load).toThrow('SWITCHBOARD_TLS_PORT: ');
    expect(() => loadSettings(tlsEnv({ SWITCHBOARD_TLS_CERT_FILE: server.keyFile }))).toThrow(`SWITCHBOARD_TLS_CERT_FILE: ${server.keyFile} is not a PEM certificate (`);
    expect(() => loadSettings(tlsEnv({ SWITCHBOARD_TLS_CERT_FILE: pki.dir }))).toThrow('SWITCHBOARD_TLS_CERT_FILE: cannot be read (EISDIR');
  });

  it('refuses a key that is not the certificate\'s', () => {
    expect(() => loadSettings(tlsEnv({ SWITCHBOARD_TLS_KEY_FILE: other.keyFile }))).toThrow(
      `invalid environment: SWITCHBOARD_TLS_KEY_FILE: ${other.keyFile} is not the key of the certificate in SWITCHBOARD_TLS_CERT_FILE (`,
    );
  });

  it('refuses a CA bundle with a broken certificate', () => {
    const broken = pki.write('broken-ca.pem', Buffer.concat([pki.ca.cert, Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')]));
    expect(() => loadSettings({ ...base, SWITCHBOARD_UPSTREAM_CA_FILE: broken })).toThrow(`SWITCHBOARD_UPSTREAM_CA_FILE: ${broken} certificate 2 is invalid (`);
  });

  it('loadServerCredentials reads the files again, naming the bad one', () => {
    expect(loadServerCredentials(server.certFile, server.keyFile)).toEqual({ cert: { file: server.certFile, pem: server.cert }, key: { file: server.keyFile, pem: server.key } });
    expect(() => loadServerCredentials(server.certFile, garbage)).toThrow(`SWITCHBOARD_TLS_KEY_FILE: ${garbage} is not an unencrypted PEM private key`);
  });
});
