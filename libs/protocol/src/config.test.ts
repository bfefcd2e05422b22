import { describe, expect, it } from 'vitest';
import { agentMessage, describeIssues, memberUrl, snapshotConfig, type SnapshotConfig } from './index';
import { hashConfig } from './node';

const config = (): SnapshotConfig => ({
  balancers: [
    {
      id: 'b1',
      name: 'chat',
      lbMethod: 'bybusyness',
      sticky: { mode: 'none', name: null },
      hash: { source: 'ip', name: null },
      slowStartMs: 0,
      hostHeader: { mode: 'keep', value: null },
      timeouts: { connectMs: 3000, tunnelIdleMs: 0, keepAliveMs: 15000, responseHeaderMs: 60000 },
      limits: { maxTunnelsPerMember: 0, queueTimeoutMs: 0 },
      failover: { retries: 2 },
      healthCheck: { type: 'http', path: '/health', expectStatus: 200, intervalMs: 5000, timeoutMs: 2000, passes: 2, fails: 3 },
      passiveHealth: { fails: 1, retryMs: 10000 },
      tls: { insecureSkipVerify: false, serverName: null },
      rebalance: null,
      members: [{ id: 'm1', url: 'ws://10.0.0.1:9000', name: null, weight: 1, lbset: 0, state: 'active', drain: null }],
    },
  ],
  routes: [{ id: 'r1', balancerId: 'b1', priority: 0, host: null, match: { type: 'prefix', path: '/chat' }, websocket: 'any', stripPrefix: false, enabled: true }],
});

describe('snapshotConfig', () => {
  it('accepts a consistent configuration', () => {
    expect(snapshotConfig.safeParse(config()).success).toBe(true);
  });

  it('names routes to unknown balancers and duplicate ids and names', () => {
    const bad = config();
    bad.balancers.push({ ...bad.balancers[0], id: 'b2', members: [{ ...bad.balancers[0].members[0] }] });
    bad.routes.push({ ...bad.routes[0], id: 'r1', balancerId: 'nope' });
    const result = snapshotConfig.safeParse(bad);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toBe(
      'balancers.1.name: duplicate balancer name chat; balancers.1.members.0.id: duplicate member id m1; routes.1.id: duplicate route id r1; routes.1.balancerId: unknown balancer nope',
    );
  });

  it('defaults timeouts.responseHeaderMs to 60000 in a snapshot without it (older control planes and disk caches), and bounds it', () => {
    const old = config();
    delete (old.balancers[0].timeouts as Partial<SnapshotConfig['balancers'][0]['timeouts']>).responseHeaderMs;
    expect(snapshotConfig.parse(old).balancers[0].timeouts.responseHeaderMs).toBe(60000);
    const bad = config();
    bad.balancers[0].timeouts.responseHeaderMs = -1;
    expect(describeIssues(snapshotConfig.safeParse(bad).error!)).toMatch(/^balancers\.0\.timeouts\.responseHeaderMs: /);
  });

  it('refuses member URLs that are not absolute http(s)/ws(s) URLs, weights outside 1–100 and unknown states', () => {
    const bad = config();
    Object.assign(bad.balancers[0].members[0], { url: 'ftp://x', weight: 0, state: 'sleeping' });
    const paths = snapshotConfig.safeParse(bad).error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['balancers.0.members.0.url', 'balancers.0.members.0.weight', 'balancers.0.members.0.state']);
  });
});

describe('memberUrl', () => {
  const withCredentials = [
    'http://user:pass@10.0.0.1:8000',
    'http://user@10.0.0.1',
    'ws://:secret@10.0.0.1:9000/chat',
    'wss://user:@backend.example',
    'https://%75ser:p%40ss@backend.example',
    'http://@10.0.0.1',
    'http:\\\\user:pass@10.0.0.1',
    'HTTP://User:Pass@10.0.0.1/base',
  ];

  it.each(withCredentials)('refuses %s, naming the credentials as the cause', (url) => {
    const result = memberUrl.safeParse(url);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^must not contain credentials/)]);
  });

  it('accepts URLs without userinfo, also with an @ in the path', () => {
    for (const url of ['http://10.0.0.1:8000', 'wss://backend.example/chat', 'http://[::1]:9000/users/@me']) expect(memberUrl.safeParse(url).success, url).toBe(true);
  });

  it('names the agent-side snapshot field too', () => {
    const bad = config();
    bad.balancers[0].members[0].url = 'http://admin:hunter2@10.0.0.1';
    expect(describeIssues(snapshotConfig.safeParse(bad).error!)).toMatch(/^balancers\.0\.members\.0\.url: must not contain credentials/);
  });
});

describe('balancer policy', () => {
  it('requires a cookie name for cookie stickiness and a name for header or cookie hash keys', () => {
    const bad = config();
    bad.balancers[0].sticky = { mode: 'cookie', name: null };
    bad.balancers[0].hash = { source: 'header', name: null };
    const issues = snapshotConfig.safeParse(bad).error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(['balancers.0.sticky.name: is required when mode is cookie', 'balancers.0.hash.name: is required when source is header']);
  });

  it('refuses cookie names that are not HTTP tokens', () => {
    const bad = config();
    bad.balancers[0].sticky = { mode: 'cookie', name: 'bad name;' };
    expect(snapshotConfig.safeParse(bad).error!.issues[0].path.join('.')).toBe('balancers.0.sticky.name');
  });
});

describe('routes', () => {
  it('accepts a valid regex and names an invalid one, and requires / for prefix and exact', () => {
    const ok = config();
    ok.routes[0].match = { type: 'regex', path: '^/api/v[0-9]+/ws$' };
    expect(snapshotConfig.safeParse(ok).success).toBe(true);
    const bad = config();
    bad.routes[0].match = { type: 'regex', path: '^/(unclosed' };
    expect(snapshotConfig.safeParse(bad).error!.issues[0].message).toMatch(/^is not a valid regular expression/);
    const relative = config();
    relative.routes[0].match = { type: 'prefix', path: 'chat' };
    expect(snapshotConfig.safeParse(relative).error!.issues[0]).toMatchObject({ path: ['routes', 0, 'match', 'path'], message: 'must start with /' });
  });
});

describe('health checks, drains and rebalances', () => {
  it('names a check timeout longer than its interval, a path without /, and an unknown type', () => {
    const bad = config();
    bad.balancers[0].healthCheck = { ...bad.balancers[0].healthCheck, timeoutMs: 6000 };
    expect(describeIssues(snapshotConfig.safeParse(bad).error!)).toBe('balancers.0.healthCheck.timeoutMs: must not exceed intervalMs');
    const relative = config();
    relative.balancers[0].healthCheck = { ...relative.balancers[0].healthCheck, path: 'health' };
    expect(describeIssues(snapshotConfig.safeParse(relative).error!)).toBe('balancers.0.healthCheck.path: must start with / and contain no spaces');
    const unknown = JSON.parse(JSON.stringify(config())) as { balancers: { healthCheck: { type: string } }[] };
    unknown.balancers[0].healthCheck.type = 'icmp';
    expect(snapshotConfig.safeParse(unknown).error!.issues[0].path).toEqual(['balancers', 0, 'healthCheck', 'type']);
  });

  it('refuses a drain whose window is longer than its deadline and a negative rebalance tolerance', () => {
    const bad = config();
    bad.balancers[0].members[0] = { ...bad.balancers[0].members[0], state: 'draining', drain: { startedAt: 1, windowMs: 60_000, deadlineMs: 30_000 } };
    bad.balancers[0].rebalance = { requestedAt: 1, tolerance: -0.1, closesPerSecond: 10 };
    expect(describeIssues(snapshotConfig.safeParse(bad).error!)).toBe(
      'balancers.0.rebalance.tolerance: Too small: expected number to be >=0; balancers.0.members.0.drain.windowMs: must not exceed deadlineMs',
    );
  });
});

describe('hashConfig', () => {
  it('is the same for the same configuration whatever the key order, and changes with any value', () => {
    const a = config();
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    const reordered = reverseKeys(a) as SnapshotConfig;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(hashConfig(reordered)).toBe(hashConfig(a));
    const drained = config();
    drained.balancers[0].members[0].state = 'draining';
    expect(hashConfig(drained)).not.toBe(hashConfig(a));
    expect(hashConfig(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('agentMessage', () => {
  it('validates each control message by its type', () => {
    expect(agentMessage.safeParse({ type: 'ack', revision: 3, hash: 'h' }).success).toBe(true);
    expect(agentMessage.safeParse({ type: 'stats', revision: 3, members: [{ memberId: 'm' }] }).success).toBe(false);
    expect(agentMessage.safeParse({ type: 'bogus' }).success).toBe(false);
  });
});
