// The tunnel's relay before and after frame-boundary tracking, side by side over real TCP
// sockets in one process: `pipe` both ways plus a byte-counting listener per side (the tunnel
// until the paced drain) against a Relay with a FrameTracker per direction (the tunnel now).
// Both run in the same bench run, so a shared machine's load drifts less between them than
// between two runs of the whole agent (tunnel-throughput.bench.ts). Run:
//   npx vitest bench --run test/bench/relay.bench.ts
// Every iteration moves MOVED bytes member → client: throughput = MOVED × hz; CPU ms per GiB
// (median of the iterations, the whole process) is printed at the end.
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { FrameTracker } from '../../apps/agent/src/proxy/frames';
import { Relay } from '../../apps/agent/src/proxy/relay';
import { wsFrame } from '../../apps/agent/src/testing/ws-frames';

const MOVED = 64 * 1024 * 1024;
const OPTIONS = { time: 0, iterations: 16, warmupIterations: 3, warmupTime: 0 };
const HEAD = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';

type Variant = 'pipe (before)' | 'Relay + FrameTracker (after)';

/** Wires a client connection to its member connection as the tunnel did before, or does now. */
function wire(variant: Variant, client: Socket, member: Socket): void {
  let bytesIn = 0;
  let bytesOut = 0;
  if (variant === 'pipe (before)') {
    client.on('data', (chunk: Buffer) => (bytesIn += chunk.length));
    member.on('data', (chunk: Buffer) => (bytesOut += chunk.length));
    client.pipe(member);
    member.pipe(client);
    return;
  }
  new Relay(client, member, new FrameTracker(false), (bytes) => (bytesIn += bytes));
  new Relay(member, client, new FrameTracker(true), (bytes) => (bytesOut += bytes));
}

/** A client, a proxy in between (wired by `variant`) and a member, on 127.0.0.1. */
interface Path {
  readonly member: Socket;
  readonly client: Socket;
  received: number;
  close(): void;
}

async function openPath(variant: Variant, memberServer: Server, memberSockets: Socket[]): Promise<Path> {
  const proxy = createServer((client) => {
    const member = connect((memberServer.address() as AddressInfo).port, '127.0.0.1');
    member.once('connect', () => wire(variant, client, member));
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const accepted = once(memberServer, 'connection') as Promise<[Socket]>;
  const client = connect((proxy.address() as AddressInfo).port, '127.0.0.1');
  const [member] = await accepted;
  memberSockets.push(member);
  member.write(HEAD);
  const path: Path = { member, client, received: 0, close: () => (client.destroy(), proxy.close()) };
  client.on('data', (chunk: Buffer) => (path.received += chunk.length));
  await new Promise<void>((resolve) => {
    const check = (): void => (path.received >= HEAD.length ? resolve() : void setTimeout(check, 5));
    check();
  });
  return path;
}

const cpuPerGiB = new Map<string, number[]>();

/** Writes `buffer` on the member side until the client has read MOVED more bytes; records the CPU time under `name`. */
async function move(name: string, path: Path, buffer: Buffer): Promise<void> {
  const cpu = process.cpuUsage();
  const target = path.received + MOVED;
  const arrived = new Promise<void>((resolve) => {
    const onData = (): void => {
      if (path.received < target) return;
      path.client.off('data', onData);
      resolve();
    };
    path.client.on('data', onData);
  });
  for (let written = 0; written < MOVED; written += buffer.length) {
    if (!path.member.write(buffer)) await once(path.member, 'drain');
  }
  await arrived;
  const used = process.cpuUsage(cpu);
  const samples = cpuPerGiB.get(name) ?? [];
  samples.push((used.user + used.system) / 1_000 / (MOVED / 2 ** 30));
  cpuPerGiB.set(name, samples);
}

const memberSockets: Socket[] = [];
const memberServer = createServer();
const paths = new Map<Variant, Path>();
const VARIANTS: Variant[] = ['pipe (before)', 'Relay + FrameTracker (after)'];

beforeAll(async () => {
  memberServer.listen(0, '127.0.0.1');
  await once(memberServer, 'listening');
  for (const variant of VARIANTS) paths.set(variant, await openPath(variant, memberServer, memberSockets));
});

afterAll(() => {
  for (const [name, samples] of cpuPerGiB) {
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`${name}: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} CPU ms per GiB (median of ${samples.length})`);
  }
  for (const path of paths.values()) path.close();
  for (const socket of memberSockets) socket.destroy();
  memberServer.close();
});

for (const [size, count] of [[64, 16_384], [1024 * 1024, 1]] as const) {
  const buffer = Buffer.concat(Array.from({ length: count }, () => wsFrame({ opcode: 2, payload: Buffer.alloc(size, 0x61) })));
  describe(`member → client, ${size === 64 ? '64 B' : '1 MiB'} frames, ${MOVED / 1024 / 1024} MiB per iteration`, () => {
    for (const variant of VARIANTS) {
      const name = `${variant}, ${size === 64 ? '64 B' : '1 MiB'} frames`;
      bench(name, () => move(name, paths.get(variant)!, buffer), OPTIONS);
    }
  });
}
