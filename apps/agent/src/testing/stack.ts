import { afterEach, beforeEach } from 'vitest';
import type { SnapshotConfig } from '@switchboard/protocol';
import type { MemberCounters } from '../config/member-counters';
import { startAgent } from './agent-harness';
import type { RunningAgent } from './agent-harness';
import { startBackends } from './backends';
import type { Backend } from './backends';
import { FakeControlPlane } from './control-plane';
import { snapshotOf } from './fixtures';
import { waitFor } from './wait';

/** What each test of a file gets afresh: a control plane, backends, and the agent it starts. */
export class TestStack {
  /** Replaceable by a test (e.g. a restarted one); the current one is closed after the test. */
  controlPlane!: FakeControlPlane;
  backends: Backend[] = [];
  private running: RunningAgent | undefined;
  private revision = 0;

  /** The agent started by `start` or `serve`; throws before. */
  get agent(): RunningAgent {
    if (!this.running) throw new Error('no agent started in this test');
    return this.running;
  }

  /** Starts an agent against the current control plane (see startAgent for options). */
  async start(options: Parameters<typeof startAgent>[1] = {}): Promise<RunningAgent> {
    this.running = await startAgent(this.controlPlane.url, options);
    return this.running;
  }

  /** Publishes `config` as the next revision, starts the agent if there is none yet, and waits for its ack. */
  async serve(config: SnapshotConfig): Promise<RunningAgent> {
    this.revision += 1;
    const revision = this.revision;
    const from = this.controlPlane.messages.length;
    this.controlPlane.publish(snapshotOf(revision, config));
    const agent = this.running ?? (await this.start());
    await this.controlPlane.next('ack', (ack) => ack.revision === revision, from);
    return agent;
  }

  /** Live counters of a member of the served configuration. */
  counters(memberId: string): MemberCounters {
    const member = this.agent.agent.state.current?.runtime.balancers.flatMap((b) => b.members).find((m) => m.id === memberId);
    if (!member) throw new Error(`no member ${memberId} in the served configuration`);
    return member.counters;
  }

  async setUp(backendCount: number): Promise<void> {
    this.controlPlane = await new FakeControlPlane().start();
    this.backends = await startBackends(backendCount);
  }

  async tearDown(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
    this.revision = 0;
    await this.controlPlane.close();
    await Promise.all(this.backends.map((b) => b.close()));
  }
}

/** Waits until a member holds no tunnel (open or connecting) and no request: what every edge case must end with (no counter leak). */
export async function whenReleased(counters: MemberCounters, timeoutMs = 5_000): Promise<void> {
  await waitFor(() => counters.openTunnels === 0 && counters.connectingTunnels === 0 && counters.inflightRequests === 0, 'the member to hold no tunnel or request', timeoutMs);
}

/** Registers hooks giving each test of the file a fresh TestStack with `backendCount` backends (b1, b2, …). */
export function useStack(backendCount = 2): TestStack {
  const stack = new TestStack();
  beforeEach(() => stack.setUp(backendCount));
  afterEach(() => stack.tearDown());
  return stack;
}
