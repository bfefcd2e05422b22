import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { HostHeader } from '@switchboard/protocol';
import { memberAuthority } from '../config/compile';
import type { EchoedRequest } from '../testing/backends';
import { closeWebSocket, openWebSocketWithHeaders } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';

const stack = useStack(1);

/** A GET through the agent with the given Host header, answered by the echo backend. */
function get(port: number, host: string): Promise<EchoedRequest> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/x', headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as EchoedRequest));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serveWith(hostHeader: HostHeader, scheme: 'http' | 'ws'): Promise<number> {
  const { port } = await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url(scheme))], { hostHeader }));
  return port;
}

describe('balancer hostHeader', () => {
  it.each([
    [{ mode: 'keep', value: null } as HostHeader, 'Chat.Example.com:8080'],
    [{ mode: 'member', value: null } as HostHeader, 'member'],
    [{ mode: 'set', value: 'api.internal:8443' } as HostHeader, 'api.internal:8443'],
  ])('%o: HTTP members see Host %s, X-Forwarded-Host and Forwarded keep the client’s', async (hostHeader, expected) => {
    const port = await serveWith(hostHeader, 'http');
    const seen = await get(port, 'Chat.Example.com:8080');
    expect(seen.headers.host).toBe(expected === 'member' ? `127.0.0.1:${stack.backends[0]!.port}` : expected);
    expect(seen.headers['x-forwarded-host']).toBe('Chat.Example.com:8080');
    expect(seen.headers.forwarded).toBe('for=127.0.0.1;host="Chat.Example.com:8080";proto=http');
  });

  it.each([
    [{ mode: 'keep', value: null } as HostHeader, 'client'],
    [{ mode: 'member', value: null } as HostHeader, 'member'],
    [{ mode: 'set', value: 'ws.internal' } as HostHeader, 'ws.internal'],
  ])('%o: a WebSocket upgrade reaches the member with Host %s, once', async (hostHeader, expected) => {
    const port = await serveWith(hostHeader, 'ws');
    const { ws, headers } = await openWebSocketWithHeaders(stack.agent.ws('/room'));
    const client = `127.0.0.1:${port}`;
    const host = expected === 'client' ? client : expected === 'member' ? `127.0.0.1:${stack.backends[0]!.port}` : expected;
    expect(headers['x-seen-host']).toBe(host);
    const upgrade = stack.backends[0]!.upgrades[0]!;
    expect(upgrade.rawHeaders.filter((_, i) => i % 2 === 0 && upgrade.rawHeaders[i]!.toLowerCase() === 'host')).toEqual(['Host']);
    expect(upgrade.headers.host).toBe(host);
    expect(upgrade.headers['x-forwarded-host']).toBe(client);
    await closeWebSocket(ws);
  });

  it('member mode omits default ports and keeps IPv6 brackets', () => {
    expect(memberAuthority('ws://Chat.Example.com:80/base')).toEqual({ host: 'chat.example.com', origin: 'http://chat.example.com' });
    expect(memberAuthority('wss://chat.example.com:443')).toEqual({ host: 'chat.example.com', origin: 'https://chat.example.com' });
    expect(memberAuthority('https://chat.example.com:80')).toEqual({ host: 'chat.example.com:80', origin: 'https://chat.example.com:80' });
    expect(memberAuthority('ws://[::1]:9000')).toEqual({ host: '[::1]:9000', origin: 'http://[::1]:9000' });
  });
});
