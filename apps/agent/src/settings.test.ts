import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlChannelUrl, loadSettings, parseListenAddress, SettingsError } from './settings';

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
      requestHeaderMs: 10_000,
      maxHeaderBytes: 16_384,
      logLevel: 'info',
      workers: 1,
      tls: null,
      upstreamCa: null,
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
      SWITCHBOARD_REQUEST_HEADER_MS: '300',
      SWITCHBOARD_MAX_HEADER_BYTES: '4096',
      SWITCHBOARD_LOG_LEVEL: 'warn',
      SWITCHBOARD_WORKERS: '3',
    });
    expect(settings).toMatchObject({
      name: 'edge-1',
      listen: { host: '0.0.0.0', port: 0 },
      adminListen: { host: '::1', port: 9999 },
      cacheDir: '/var/cache/sb',
      statsIntervalMs: 250,
      requestHeaderMs: 300,
      maxHeaderBytes: 4096,
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
    const load = () => loadSettings({ SWITCHBOARD_CONTROL_URL: 'ftp://x', SWITCHBOARD_LISTEN: '8080', SWITCHBOARD_STATS_INTERVAL_MS: 'often' });
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(/SWITCHBOARD_CONTROL_URL: must be an absolute ws/);
    expect(load).toThrow(/SWITCHBOARD_AGENT_TOKEN: is required/);
    expect(load).toThrow(/SWITCHBOARD_LISTEN: must be :PORT or HOST:PORT/);
    expect(load).toThrow(/SWITCHBOARD_STATS_INTERVAL_MS/);
  });

  it('refuses listener limits out of range', () => {
    const load = () => loadSettings({ ...base, SWITCHBOARD_REQUEST_HEADER_MS: '50', SWITCHBOARD_MAX_HEADER_BYTES: 'big' });
    expect(load).toThrow(/SWITCHBOARD_REQUEST_HEADER_MS/);
    expect(load).toThrow(/SWITCHBOARD_MAX_HEADER_BYTES/);
    expect(() => loadSettings({ ...base, SWITCHBOARD_MAX_HEADER_BYTES: '2000000' })).toThrow(/SWITCHBOARD_MAX_HEADER_BYTES/);
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
