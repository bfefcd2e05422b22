import { member, statsView } from '@switchboard/protocol';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { responseMismatch } from './response-check';

const at = new Date('2026-12-01T10:00:00.000Z');
const aMember = { id: 'm1', balancerId: 'b1', url: 'ws://10.0.0.5:8000', name: null, weight: 1, lbset: 0, state: 'active', drain: null, createdAt: at, updatedAt: at };

describe('responseMismatch', () => {
  it('accepts what the schema promises once serialised: Dates as ISO strings', () => {
    expect(responseMismatch(member, aMember)).toBeNull();
    expect(responseMismatch(z.array(member), [aMember, { ...aMember, id: 'm2' }])).toBeNull();
  });

  it('names a missing field, a wrong type and a bad enum value by their paths', () => {
    const { weight: _weight, ...withoutWeight } = aMember;
    expect(responseMismatch(member, withoutWeight)).toMatch(/^weight: /);
    expect(responseMismatch(member, { ...aMember, createdAt: 'yesterday' })).toMatch(/^createdAt: /);
    expect(responseMismatch(z.array(member), [aMember, { ...aMember, state: 'paused' }])).toMatch(/^1\.state: /);
  });

  it('names fields the schema does not declare, nested ones included', () => {
    expect(responseMismatch(member, { ...aMember, secret: 'x' })).toBe('undeclared fields: secret');
    const stats = { at: at.toISOString(), revision: 3, members: [] };
    expect(responseMismatch(statsView, stats)).toBeNull();
    const figures = { balancerId: 'b1', memberId: 'm1', url: 'ws://10.0.0.5:8000', name: null, state: 'active', weight: 1, openTunnels: 0, inflightRequests: 0, elected: 0, bytesIn: 0, bytesOut: 0, failures: 0, closedByAgent: 0, health: 'up' };
    expect(responseMismatch(statsView, { ...stats, members: [{ ...figures, agents: [], extra: 1 }] })).toBe('undeclared fields: members.0.extra');
  });
});
