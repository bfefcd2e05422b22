import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlChannelUrl, loadSettings, maxConnectionsPerProcess, parseListenAddress, SettingsError } from './settings';

const base = { SWITCHBOARD_CONTROL_URL: 'ws://127.0.0.1:4000', SWITCHBOARD_AGENT_TOKEN: 'secret' };

describe('loadSettings', () => {
  it('applies the documented defaults', () => {
    expect(loadSettings(base)).toEqual({
      controlUrl: 'ws://127.0.0.1:4000/agents/connect',
      token: 'secret',
      name: hostname(),
      listen: { host: undefined, port: 8080 },
      adminListen: { host: '127.0.0.1', port: 9901 },
      adminToken: null,
      cacheDir: resolve('.switchboard/agent-cache'),
      statsIntervalMs: 1000,
      refusedRetryMs: 30_000,
      requestHeaderMs: 10_000,
      maxHeaderBytes: 16_384,
      requestBodyIdleMs: 30_000,
      maxConnections: 10_000,
      logLevel: 'info',
      workers: 1,
      tls: null,
      upstreamCa: null,
      clients: { trustedProxies: [], proxyProtocol: false },
      controlCa: null,
    });
  });

  it('reads every variable', () => {
    const settings = loadSettings({
      ...base,
      SWITCHBOARD_AGENT_NAME: 'edge-1',
      SWITCHBOARD_LISTEN: '0.0.0.0:0',
      SWITCHBOARD_ADMIN_LISTEN: '[::1]:9999',
      SWITCHBOARD_CACHE_DIR: '/var/cache/sb',
      SWITCHBOARD_STATS_INTERVAL_MS: '250',
      SWITCHBOARD_CONTROL_REFUSED_RETRY_MS: '2000',
      SWITCHBOARD_REQUEST_HEADER_MS: '300',
      SWITCHBOARD_MAX_HEADER_BYTES: '4096',
      SWITCHBOARD_REQUEST_BODY_IDLE_MS: '0',
      SWITCHBOARD_MAX_CONNECTIONS: '500',
      SWITCHBOARD_LOG_LEVEL: 'warn',
      SWITCHBOARD_WORKERS: '3',
    });
    expect(settings).toMatchObject({
      name: 'edge-1',
      listen: { host: '0.0.0.0', port: 0 },
      adminListen: { host: '::1', port: 9999 },
      cacheDir: '/var/cache/sb',
      statsIntervalMs: 250,
      refusedRetryMs: 2000,
      requestHeaderMs: 300,
      maxHeaderBytes: 4096,
      requestBodyIdleMs: 0,
      maxConnections: 500,
      logLevel: 'warn',
      workers: 3,
    });
  });

  it('takes SWITCHBOARD_WORKERS=auto as one worker per core and names a bad count', () => {
    expect(loadSettings({ ...base, SWITCHBOARD_WORKERS: 'auto' }).workers).toBe(availableParallelism());
    expect(() => loadSettings({ ...base, SWITCHBOARD_WORKERS: '0' })).toThrow(/SWITCHBOARD_WORKERS: must be auto or an integer from 1 to 64/);
  });

  it('treats empty variables as unset', () => {
    expect(loadSettings({ ...base, SWITCHBOARD_AGENT_NAME: '', SWITCHBOARD_LISTEN: '' })).toMatchObject({ name: hostname(), listen: { port: 8080 } });
  });

  it('refuses to start naming each bad variable', () => {
    const load = () => loadSettings({ SWITCHBOARD_CONTROL_URL: 'ftp://x', SWITCHBOARD_LISTEN: '8080', SWITCHBOARD_STATS_INTERVAL_MS: 'often', SWITCHBOARD_CONTROL_REFUSED_RETRY_MS: '10' });
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(/SWITCHBOARD_CONTROL_URL: must be an absolute ws/);
    expect(load).toThrow(/SWITCHBOARD_AGENT_TOKEN: is required/);
    expect(load).toThrow(/SWITCHBOARD_LISTEN: must be :PORT or HOST:PORT/);
    expect(load).toThrow(/SWITCHBOARD_STATS_INTERVAL_MS/);
    expect(load).toThrow(/SWITCHBOARD_CONTROL_REFUSED_RETRY_MS: .*100/);
  });

  it('refuses listener limits out of range', () => {
    const load = () => loadSettings({ ...base, SWITCHBOARD_REQUEST_HEADER_MS: '50', SWITCHBOARD_MAX_HEADER_BYTES: 'big' });
    expect(load).toThrow(/SWITCHBOARD_REQUEST_HEADER_MS/);
    expect(load).toThrow(/SWITCHBOARD_MAX_HEADER_BYTES/);
    expect(() => loadSettings({ ...base, SWITCHBOARD_MAX_HEADER_BYTES: '2000000' })).toThrow(/SWITCHBOARD_MAX_HEADER_BYTES/);
  });

  it('refuses a body idle timeout or a connection cap that is negative, fractional or not a number', () => {
    const load = () => loadSettings({ ...base, SWITCHBOARD_REQUEST_BODY_IDLE_MS: '-1', SWITCHBOARD_MAX_CONNECTIONS: 'many' });
    expect(load).toThrow(/SWITCHBOARD_REQUEST_BODY_IDLE_MS: Too small/);
    expect(load).toThrow(/SWITCHBOARD_MAX_CONNECTIONS: /);
    expect(() => loadSettings({ ...base, SWITCHBOARD_MAX_CONNECTIONS: '1.5' })).toThrow(/SWITCHBOARD_MAX_CONNECTIONS: must be an integer/);
  });

  it('splits SWITCHBOARD_MAX_CONNECTIONS across workers, rounding up (0 stays no cap)', () => {
    expect(maxConnectionsPerProcess(loadSettings({ ...base, SWITCHBOARD_MAX_CONNECTIONS: '10', SWITCHBOARD_WORKERS: '3' }))).toBe(4);
    expect(maxConnectionsPerProcess(loadSettings({ ...base, SWITCHBOARD_MAX_CONNECTIONS: '10' }))).toBe(10);
    expect(maxConnectionsPerProcess(loadSettings({ ...base, SWITCHBOARD_MAX_CONNECTIONS: '0', SWITCHBOARD_WORKERS: '4' }))).toBe(0);
  });
});

describe('SWITCHBOARD_TRUSTED_PROXIES and SWITCHBOARD_PROXY_PROTOCOL', () => {
  it('reads CIDRs (IPv4, IPv6, bare addresses as /32 and /128, IPv4-mapped as IPv4) and the PROXY protocol switch', () => {
    const settings = loadSettings({ ...base, SWITCHBOARD_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::1, ::ffff:172.16.0.0/108', SWITCHBOARD_PROXY_PROTOCOL: '1' });
    expect(settings.clients).toEqual({ trustedProxies: ['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/32', '::1/128', '172.16.0.0/12'], proxyProtocol: true });
    expect(loadSettings({ ...base, SWITCHBOARD_PROXY_PROTOCOL: '0' }).clients.proxyProtocol).toBe(false);
  });

  it.each([
    ['10.0.0.0/33', 'entry "10.0.0.0/33" has a prefix length that is not an integer from 0 to 32'],
    ['10.0.0.0/8, 2001:db8::/129', 'entry "2001:db8::/129" has a prefix length that is not an integer from 0 to 128'],
    ['10.0.0.0/+8', 'entry "10.0.0.0/+8" has a prefix length'],
    ['10.0.0.0/', 'entry "10.0.0.0/" has a prefix length'],
    ['proxy.example.com', 'entry "proxy.example.com" is not an IPv4 or IPv6 address'],
    ['10.0.0.256', 'entry "10.0.0.256" is not an IPv4 or IPv6 address'],
    ['fe80::1%eth0', 'entry "fe80::1%eth0" is not an IPv4 or IPv6 address'],
    ['::ffff:10.0.0.0/64', 'entry "::ffff:10.0.0.0/64" is an IPv4-mapped IPv6 range shorter than /96'],
    ['10.0.0.1,,10.0.0.2', 'has an empty entry'],
    ['10.0.0.1,', 'has an empty entry'],
  ])('refuses %s naming the entry', (value, message) => {
    const load = () => loadSettings({ ...base, SWITCHBOARD_TRUSTED_PROXIES: value });
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(`SWITCHBOARD_TRUSTED_PROXIES: ${message}`);
  });

  it('refuses a PROXY protocol switch other than 0 or 1', () => {
    expect(() => loadSettings({ ...base, SWITCHBOARD_PROXY_PROTOCOL: 'yes' })).toThrow('SWITCHBOARD_PROXY_PROTOCOL: must be 0 or 1');
  });
});

describe('parseListenAddress', () => {
  it.each([
    [':8080', { host: undefined, port: 8080 }],
    [':0', { host: undefined, port: 0 }],
    ['127.0.0.1:9901', { host: '127.0.0.1', port: 9901 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
    ['[::]:443', { host: '::', port: 443 }],
  ])('%s', (text, expected) => expect(parseListenAddress(text)).toEqual(expected));

  it.each(['8080', ':', 'host:', ':65536', 'a:b:1', ':80x', '[::1]'])('rejects %s', (text) => expect(parseListenAddress(text)).toBeUndefined());
});

describe('controlChannelUrl', () => {
  it.each([
    ['ws://127.0.0.1:4000', 'ws://127.0.0.1:4000/agents/connect'],
    ['ws://127.0.0.1:4000/', 'ws://127.0.0.1:4000/agents/connect'],
    ['wss://cp.example.com/agents/connect', 'wss://cp.example.com/agents/connect'],
    ['wss://cp.example.com/switchboard/', 'wss://cp.example.com/switchboard/agents/connect'],
    ['https://cp.example.com', 'https://cp.example.com/agents/connect'],
  ])('%s', (text, expected) => expect(controlChannelUrl(text)).toBe(expected));

  it.each(['cp:4000', 'ftp://cp', 'ws://cp/?x=1', 'ws://cp/#a'])('rejects %s', (text) => expect(controlChannelUrl(text)).toBeUndefined());
});
