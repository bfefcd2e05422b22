import { PROTOCOL_VERSION, type AgentMessage, type ControlMessage } from '@switchboard/protocol';
import WebSocket from 'ws';

/** How the control plane ended a channel. */
export interface Closed {
  code: number;
  reason: string;
  /** Date.now() when the close was seen. */
  at: number;
}

/** A raw `ws` client on the control plane's agent channel, speaking the protocol by hand. */
export interface AgentChannel {
  ws: WebSocket;
  /** Control messages received so far, in order. */
  received: ControlMessage[];
  /** Resolves with the next received message of `type` not yet taken. */
  next<T extends ControlMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<ControlMessage, { type: T }>>;
  send(message: AgentMessage): void;
  /** Sends hello as agent `name` serving nothing yet. */
  hello(name: string): void;
  closed: Promise<Closed>;
}

/**
 * Opens ws://…/agents/connect on the control plane at `apiUrl` (http://) with `token`. Rejects
 * with `upgrade answered <status>` when the handshake is refused.
 */
export function openAgentChannel(apiUrl: string, token: string): Promise<AgentChannel> {
  const ws = new WebSocket(`${apiUrl.replace(/^http/, 'ws')}/agents/connect`, { headers: { authorization: `Bearer ${token}` } });
  const received: ControlMessage[] = [];
  let taken = 0;
  ws.on('message', (data: Buffer) => received.push(JSON.parse(data.toString()) as ControlMessage));
  const closed = new Promise<Closed>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })));
  const next = async <T extends ControlMessage['type']>(type: T, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = received.findIndex((m, i) => i >= taken && m.type === type);
      if (index >= 0) {
        taken = index + 1;
        return received[index] as Extract<ControlMessage, { type: T }>;
      }
      if (Date.now() > deadline || ws.readyState === WebSocket.CLOSED) throw new Error(`no ${type} message within ${timeoutMs} ms (got ${received.map((m) => m.type).join(', ') || 'nothing'})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const send = (message: AgentMessage) => ws.send(JSON.stringify(message));
  const hello = (name: string) => send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, agent: { name, hostname: `${name}.test`, version: 'raw-test' }, revision: null, hash: null });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, received, next, send, hello, closed }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`upgrade answered ${res.statusCode}`));
    });
  });
}
