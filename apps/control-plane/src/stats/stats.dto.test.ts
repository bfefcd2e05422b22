import { describe, expect, it } from 'vitest';
import type { AgentFigures } from '@switchboard/protocol';
import { sumFigures } from './stats.dto';

const figures = (agentId: string, health: AgentFigures['health'], n: number): AgentFigures => ({
  agentId, agentName: agentId, health, healthReason: health === 'down' ? 'tcp check: connect ECONNREFUSED' : null, openTunnels: n, inflightRequests: n, elected: n, bytesIn: n * 10, bytesOut: n * 20, failures: 0, closedByAgent: n,
});

describe('sumFigures', () => {
  it('sums every counter over agents', () => {
    const total = sumFigures([figures('a', 'up', 2), figures('b', 'up', 3)]);
    expect(total).toMatchObject({ openTunnels: 5, inflightRequests: 5, elected: 5, bytesIn: 50, bytesOut: 100, failures: 0, closedByAgent: 5 });
  });

  it('is up when any agent sees the member up, down only when all see it down', () => {
    expect(sumFigures([figures('a', 'down', 0), figures('b', 'up', 0)]).health).toBe('up');
    expect(sumFigures([figures('a', 'down', 0), figures('b', 'down', 0)]).health).toBe('down');
    expect(sumFigures([figures('a', 'down', 0), figures('b', 'unknown', 0)]).health).toBe('unknown');
    expect(sumFigures([]).health).toBe('unknown');
  });
});
