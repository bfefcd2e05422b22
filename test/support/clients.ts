import WebSocket from 'ws';

/** A WebSocket client through the agent, with a queue of received text messages. */
export interface Client {
  ws: WebSocket;
  /** Sends `text` and resolves with the next message received (the echo). */
  roundTrip(text: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the socket has closed, with the close code. */
  closed: Promise<number>;
  close(): void;
}

/** Opens a WebSocket to `url`; rejects on an error or a non-101 answer. */
export function connect(url: string, timeoutMs = 10_000): Promise<Client> {
  const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
  const inbox: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else inbox.push(text);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const roundTrip = (text: string, ms = timeoutMs) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no echo for ${text} within ${ms} ms`)), ms);
      waiters.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      ws.send(text);
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, roundTrip, closed, close: () => ws.close() }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
  });
}

/** The backend that answered: echo backends prefix each reply with `<name>: `. */
export function backendOf(reply: string): string {
  return reply.slice(0, reply.indexOf(':'));
}

/** ws:// form of an agent's http:// URL plus `path`. */
export function wsUrl(httpUrl: string, path: string): string {
  return httpUrl.replace(/^http/, 'ws') + path;
}

/** Opens `n` clients on `path` of the agent at `agentUrl`, each saying hello once; returns them with the backend each one landed on. */
export async function openClients(agentUrl: string, path: string, n: number): Promise<{ client: Client; backend: string }[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const client = await connect(wsUrl(agentUrl, path));
      return { client, backend: backendOf(await client.roundTrip(`hello ${i}`)) };
    }),
  );
}
