// Throughput of one WebSocket tunnel through an in-process agent, to measure what the tunnel's
// per-chunk work costs (frame-boundary tracking since the paced drain). The member and the
// client are raw TCP sockets that write prebuilt frames and only count what they read, so the
// agent's relay dominates the CPU time. Run:
//   npx vitest bench --run test/bench/tunnel-throughput.bench.ts
// Every iteration moves MOVED bytes through the tunnel: throughput = MOVED × hz. On a shared
// machine wall time swings with the load, so the CPU time of the process (agent, member and
// client together; the two raw ends cost little) per GiB moved is printed too, median of the
// iterations: the steadier figure to compare two versions of the agent by.
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { startAgent } from '../../apps/agent/src/testing/agent-harness';
import type { RunningAgent } from '../../apps/agent/src/testing/agent-harness';
import { FakeControlPlane } from '../../apps/agent/src/testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../../apps/agent/src/testing/fixtures';
import { waitFor } from '../../apps/agent/src/testing/wait';

const MOVED = 128 * 1024 * 1024;
const OPTIONS = { time: 0, iterations: 10, warmupIterations: 2, warmupTime: 0 };

/** `count` WebSocket frames of `payload` bytes each, masked (client → member) or not, back to back. */
function frames(payload: number, count: number, masked: boolean): Buffer {
  const extended = payload < 126 ? 0 : payload < 65_536 ? 2 : 8;
  const headerLength = 2 + extended + (masked ? 4 : 0);
  const frame = Buffer.alloc(headerLength + payload, 0x61);
  frame[0] = 0x82;
  frame[1] = (masked ? 0x80 : 0) | (extended === 0 ? payload : extended === 2 ? 126 : 127);
  if (extended === 2) frame.writeUInt16BE(payload, 2);
  if (extended === 8) frame.writeBigUInt64BE(BigInt(payload), 2);
  if (masked) frame.writeUInt32BE(0x0badf00d, 2 + extended);
  return Buffer.concat(Array.from({ length: count }, () => frame));
}

/** Reads an HTTP head off a socket; resolves once `\r\n\r\n` was seen (the rest of that chunk is dropped: nothing follows yet here). */
async function readHead(socket: Socket): Promise<void> {
  let seen = '';
  while (!seen.includes('\r\n\r\n')) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    seen += chunk.toString('latin1');
  }
}

/** A side of the tunnel that counts the bytes it reads. */
class Counting {
  received = 0;
  private target = Infinity;
  private reached: (() => void) | undefined;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received >= this.target) this.reached?.();
    });
  }

  /** Resolves once `total` more bytes were read. */
  next(total: number): Promise<void> {
    this.target = this.received + total;
    return new Promise((resolve) => (this.reached = resolve));
  }
}

/** CPU milliseconds per GiB moved, per iteration, by scenario. */
const cpuPerGiB = new Map<string, number[]>();

/** Writes `buffer` to `from` until `to` has read `total` more bytes; records the CPU time it took under `name`. */
async function move(name: string, from: Socket, to: Counting, buffer: Buffer, total: number): Promise<void> {
  const cpu = process.cpuUsage();
  const arrived = to.next(total);
  let written = 0;
  while (written < total) {
    written += buffer.length;
    if (!from.write(buffer)) await once(from, 'drain');
  }
  await arrived;
  const used = process.cpuUsage(cpu);
  const samples = cpuPerGiB.get(name) ?? [];
  samples.push((used.user + used.system) / 1_000 / (total / 2 ** 30));
  cpuPerGiB.set(name, samples);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

let controlPlane: FakeControlPlane;
let memberServer: Server;
let agent: RunningAgent;
let memberSide: Counting;
let clientSide: Counting;

beforeAll(async () => {
  const accepted = new Promise<Socket>((resolve) => {
    memberServer = createServer((socket) => {
      void readHead(socket).then(() => {
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n');
        resolve(socket);
      });
    });
  });
  memberServer.listen(0, '127.0.0.1');
  await once(memberServer, 'listening');
  controlPlane = await new FakeControlPlane().start();
  controlPlane.snapshot = snapshotOf(1, singleBalancer([member('m1', `ws://127.0.0.1:${(memberServer.address() as AddressInfo).port}`)]));
  agent = await startAgent(controlPlane.url);
  await waitFor(() => agent.agent.state.current?.revision === 1, 'the agent to serve the snapshot');
  const client = connect(agent.port, '127.0.0.1');
  await once(client, 'connect');
  client.write('GET / HTTP/1.1\r\nHost: bench\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
  await readHead(client);
  memberSide = new Counting(await accepted);
  clientSide = new Counting(client);
});

afterAll(async () => {
  for (const [name, samples] of cpuPerGiB) console.log(`${name}: ${median(samples).toFixed(0)} CPU ms per GiB (median of ${samples.length})`);
  clientSide?.socket.destroy();
  memberSide?.socket.destroy();
  await agent?.stop();
  await controlPlane?.close();
  memberServer?.close();
});

describe(`tunnel throughput, ${MOVED / 1024 / 1024} MiB per iteration`, () => {
  const scenarios = [
    { name: 'member → client, 1 MiB frames', toClient: true, buffer: frames(1024 * 1024, 1, false) },
    { name: 'member → client, 64 B frames', toClient: true, buffer: frames(64, 16_384, false) },
    { name: 'client → member, 1 MiB masked frames', toClient: false, buffer: frames(1024 * 1024, 1, true) },
    { name: 'client → member, 64 B masked frames', toClient: false, buffer: frames(64, 16_384, true) },
  ];
  for (const { name, toClient, buffer } of scenarios) {
    bench(name, () => (toClient ? move(name, memberSide.socket, clientSide, buffer, MOVED) : move(name, clientSide.socket, memberSide, buffer, MOVED)), OPTIONS);
  }
});
