import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawData } from 'ws';
import { closeWebSocket, openWebSocket } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { parseFrames, wsFrame } from '../testing/ws-frames';
import { RawMember, RecordingWsMember, openRawWebSocket, openRecordedWebSocket, writeInPieces } from '../testing/raw-peers';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack(1);
const peers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

const BIG = 16 * 1024 * 1024;

/** The frames both directions are tested with, and the messages they make. */
function traffic(masked: boolean): { frames: Buffer; small: Buffer; messages: { data: Buffer; binary: boolean }[] } {
  const big = randomBytes(BIG);
  const medium = randomBytes(70_000);
  const parts = [
    wsFrame({ opcode: 1, payload: Buffer.from('héllo'), masked }),
    // A fragmented text message with a ping between its fragments (RFC 6455 §5.4).
    wsFrame({ opcode: 1, payload: Buffer.from('one '), fin: false, masked }),
    wsFrame({ opcode: 9, payload: Buffer.from('are you there'), masked }),
    wsFrame({ opcode: 0, payload: Buffer.from('two '), fin: false, masked }),
    wsFrame({ opcode: 0, payload: Buffer.from('three'), masked }),
    wsFrame({ opcode: 2, payload: medium, masked }),
    wsFrame({ opcode: 2, payload: big, masked }),
  ];
  const smallMessages = Array.from({ length: 500 }, (_, i) => Buffer.from(`m${i}`));
  return {
    frames: Buffer.concat(parts),
    small: Buffer.concat(smallMessages.map((payload) => wsFrame({ opcode: 1, payload, masked }))),
    messages: [
      { data: Buffer.from('héllo'), binary: false },
      { data: Buffer.from('one two three'), binary: false },
      { data: medium, binary: true },
      { data: big, binary: true },
      ...smallMessages.map((data) => ({ data, binary: false })),
    ],
  };
}

/** Compares without printing 16 MiB buffers on failure. */
function summary(messages: { data: Buffer; binary: boolean }[]): string[] {
  return messages.map(({ data, binary }) => `${binary ? 'binary' : 'text'} ${data.length} ${data.subarray(0, 16).toString('hex')} ${data.subarray(-16).toString('hex')}`);
}

describe('frames through a tunnel, byte for byte', () => {
  it('client → member: masked, fragmented, ping, 16 MiB and small frames split across TCP chunks reach the member unchanged', async () => {
    const memberPeer = await new RecordingWsMember().start();
    peers.push(memberPeer);
    await stack.serve(singleBalancer([member('m1', memberPeer.url())]));
    const client = await openRawWebSocket(stack.agent.port);
    const { frames, small, messages } = traffic(true);
    client.socket.write(frames);
    await writeInPieces(client.socket, small, 7);
    const connection = await waitFor(() => memberPeer.connections[0]?.messages.length === messages.length && memberPeer.connections[0], 'every message at the member', 30_000);
    expect(connection.raw.bytes.equals(Buffer.concat([frames, small]))).toBe(true);
    expect(summary(connection.messages)).toEqual(summary(messages));
    expect(connection.errors).toEqual([]);
    // The member's pong (ws answers pings) came back through the tunnel.
    const pong = await waitFor(() => parseFrames(client.raw.bytes).find((frame) => frame.opcode === 10), 'the pong');
    expect(pong.payload.toString()).toBe('are you there');
    client.socket.destroy();
  });

  it('member → client: fragmented, ping, 16 MiB and small frames split across TCP chunks reach a ws client unchanged', async () => {
    const memberPeer = await new RawMember().start();
    peers.push(memberPeer);
    await stack.serve(singleBalancer([member('m1', memberPeer.url())]));
    const { ws, raw } = await openRecordedWebSocket(stack.agent.ws());
    const received: { data: Buffer; binary: boolean }[] = [];
    const errors: Error[] = [];
    ws.on('message', (data: RawData, binary) => received.push({ data: data as Buffer, binary }));
    ws.on('error', (error) => errors.push(error));
    const peer = await waitFor(() => memberPeer.peers[0], 'the member connection');
    const { frames, small, messages } = traffic(false);
    peer.socket.write(frames);
    await writeInPieces(peer.socket, small, 5);
    await waitFor(() => received.length === messages.length, 'every message at the client', 30_000);
    expect(raw.afterHead.equals(Buffer.concat([frames, small]))).toBe(true);
    expect(summary(received)).toEqual(summary(messages));
    expect(errors).toEqual([]);
    // The client's pong (ws answers pings) reached the member, masked.
    const pong = await waitFor(() => parseFrames(peer.raw.bytes).find((frame) => frame.opcode === 10), 'the pong');
    expect(pong.payload.toString()).toBe('are you there');
    ws.terminate();
  });

  it('a ws client and a ws echo member exchange fragmented, binary, 16 MiB, ping/pong and many small messages', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
    const ws = await openWebSocket(stack.agent.ws());
    const received: Buffer[] = [];
    ws.on('message', (data: RawData) => received.push(data as Buffer));
    const big = randomBytes(BIG);
    ws.send('frag-1 ', { fin: false });
    ws.send('frag-2 ', { fin: false });
    ws.send('frag-3');
    ws.send(big, { binary: true });
    const pong = once(ws, 'pong');
    ws.ping('beat');
    for (let i = 0; i < 1000; i++) ws.send(`s${i}`);
    expect(String((await pong)[0])).toBe('beat');
    await waitFor(() => received.length === 1002, 'every echo', 30_000);
    expect(received[0]!.toString()).toBe('frag-1 frag-2 frag-3');
    expect(received[1]!.equals(big)).toBe(true);
    expect(received.slice(2).map(String)).toEqual(Array.from({ length: 1000 }, (_, i) => `s${i}`));
    await closeWebSocket(ws);
  });
});
