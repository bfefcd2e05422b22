import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';

describe('loadEnv', () => {
  it('applies documented defaults', () => {
    const env = loadEnv({});
    expect(env.SWITCHBOARD_CONTROL_PORT).toBe(4000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SWITCHBOARD_DATA_DIR).toBe('./.switchboard');
  });

  it('names every bad variable and the cause', () => {
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x', SWITCHBOARD_CONTROL_PORT: '99999', SWITCHBOARD_ADMIN_TOKEN: 'short' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/[\s\S]*SWITCHBOARD_CONTROL_PORT[\s\S]*SWITCHBOARD_ADMIN_TOKEN: must be at least 16/,
    );
  });

  it('validates the shutdown grace and the agent stats rate', () => {
    expect(loadEnv({}).SWITCHBOARD_SHUTDOWN_GRACE_MS).toBe(10_000);
    expect(loadEnv({}).SWITCHBOARD_AGENT_STATS_RATE).toBe(1);
    expect(loadEnv({ SWITCHBOARD_SHUTDOWN_GRACE_MS: '2500', SWITCHBOARD_AGENT_STATS_RATE: '0.5' })).toMatchObject({ SWITCHBOARD_SHUTDOWN_GRACE_MS: 2500, SWITCHBOARD_AGENT_STATS_RATE: 0.5 });
    expect(() => loadEnv({ SWITCHBOARD_SHUTDOWN_GRACE_MS: 'soon', SWITCHBOARD_AGENT_STATS_RATE: '0' })).toThrow(/SWITCHBOARD_AGENT_STATS_RATE: [^\n]*>0[\s\S]*SWITCHBOARD_SHUTDOWN_GRACE_MS: [^\n]*expected number/);
  });

  it('bounds the database timeouts, with the defaults the README gives', () => {
    expect(loadEnv({})).toMatchObject({
      SWITCHBOARD_DB_CONNECT_TIMEOUT_MS: 5000,
      SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: 10_000,
      SWITCHBOARD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 15_000,
      SWITCHBOARD_DB_TRANSACTION_TIMEOUT_MS: 15_000,
    });
    expect(() => loadEnv({ SWITCHBOARD_DB_CONNECT_TIMEOUT_MS: '0', SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(/SWITCHBOARD_DB_CONNECT_TIMEOUT_MS[\s\S]*SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS/);
  });

  it('checks responses only with SWITCHBOARD_CHECK_RESPONSES=1, and names another value', () => {
    expect(loadEnv({}).SWITCHBOARD_CHECK_RESPONSES).toBe(false);
    expect(loadEnv({ SWITCHBOARD_CHECK_RESPONSES: '1' }).SWITCHBOARD_CHECK_RESPONSES).toBe(true);
    expect(() => loadEnv({ SWITCHBOARD_CHECK_RESPONSES: 'yes' })).toThrow(/SWITCHBOARD_CHECK_RESPONSES: must be 0 or 1/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});

describe('SWITCHBOARD_TLS_CERT_FILE and SWITCHBOARD_TLS_KEY_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-env-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A self-signed P-256 certificate and its key, made by the openssl CLI. */
  function selfSigned(label: string): { certFile: string; keyFile: string } {
    const certFile = join(dir, `${label}.crt`);
    const keyFile = join(dir, `${label}.key`);
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', keyFile, '-out', certFile];
    execFileSync('openssl', args, { stdio: 'ignore' });
    return { certFile, keyFile };
  }
  const pair = selfSigned('cp');
  const other = selfSigned('other');
  const garbage = join(dir, 'garbage.pem');
  writeFileSync(garbage, 'not PEM\n');

  it('reads the certificate and its key; unset → plain HTTP', () => {
    const env = loadEnv({ SWITCHBOARD_TLS_CERT_FILE: pair.certFile, SWITCHBOARD_TLS_KEY_FILE: pair.keyFile });
    expect(env.SWITCHBOARD_TLS_CERT_FILE).toEqual({ file: pair.certFile, pem: readFileSync(pair.certFile) });
    expect(env.SWITCHBOARD_TLS_KEY_FILE).toEqual({ file: pair.keyFile, pem: readFileSync(pair.keyFile) });
    expect(loadEnv({}).SWITCHBOARD_TLS_CERT_FILE).toBeUndefined();
  });

  it('wants both or neither, naming the missing one, even beside other bad variables', () => {
    expect(() => loadEnv({ SWITCHBOARD_TLS_CERT_FILE: pair.certFile })).toThrow(/SWITCHBOARD_TLS_KEY_FILE: is required when SWITCHBOARD_TLS_CERT_FILE is set/);
    expect(() => loadEnv({ SWITCHBOARD_TLS_KEY_FILE: pair.keyFile, SWITCHBOARD_CONTROL_PORT: 'x' })).toThrow(/SWITCHBOARD_CONTROL_PORT[\s\S]*SWITCHBOARD_TLS_CERT_FILE: is required when SWITCHBOARD_TLS_KEY_FILE is set/);
  });

  it('names an unreadable file, a file that is not PEM, and the key of another certificate', () => {
    const missing = join(dir, 'missing.crt');
    expect(() => loadEnv({ SWITCHBOARD_TLS_CERT_FILE: missing, SWITCHBOARD_TLS_KEY_FILE: pair.keyFile })).toThrow(`SWITCHBOARD_TLS_CERT_FILE: cannot be read (ENOENT: no such file or directory, open '${missing}')`);
    expect(() => loadEnv({ SWITCHBOARD_TLS_CERT_FILE: garbage, SWITCHBOARD_TLS_KEY_FILE: pair.keyFile })).toThrow(`SWITCHBOARD_TLS_CERT_FILE: ${garbage} is not a PEM certificate`);
    expect(() => loadEnv({ SWITCHBOARD_TLS_CERT_FILE: pair.certFile, SWITCHBOARD_TLS_KEY_FILE: garbage })).toThrow(`SWITCHBOARD_TLS_KEY_FILE: ${garbage} is not an unencrypted PEM private key`);
    expect(() => loadEnv({ SWITCHBOARD_TLS_CERT_FILE: pair.certFile, SWITCHBOARD_TLS_KEY_FILE: other.keyFile })).toThrow(
      `SWITCHBOARD_TLS_KEY_FILE: ${other.keyFile} is not the key of the certificate in SWITCHBOARD_TLS_CERT_FILE (`,
    );
  });
});
