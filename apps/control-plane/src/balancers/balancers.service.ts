import { Injectable } from '@nestjs/common';
import { healthCheck, type CreateBalancerBody, type HealthCheck, type HealthCheckInput, type RebalanceBody, type UpdateBalancerBody } from '@switchboard/protocol';
import { Problem } from '../common/problem';
import type { WriteContext } from '../common/write';
import { fieldErrors } from '../common/zod.pipe';
import { PrismaService, type Tx } from '../database/prisma.service';
import { RevisionsService } from '../revisions/revisions.service';
import { healthCheckColumns, healthCheckOf, policyColumns, toBalancerDto, type BalancerDto } from './balancer.dto';

/** Balancers: reads, and writes that each make a revision. */
@Injectable()
export class BalancersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly revisions: RevisionsService,
  ) {}

  async list(): Promise<BalancerDto[]> {
    const rows = await this.prisma.balancer.findMany({ orderBy: { name: 'asc' } });
    return rows.map(toBalancerDto);
  }

  /** @throws Problem `not-found`. */
  async get(id: string): Promise<BalancerDto> {
    return toBalancerDto(await findBalancer(this.prisma, id));
  }

  /** @throws Problem `conflict` when the name is taken. */
  async create(ctx: WriteContext, body: CreateBalancerBody) {
    return this.revisions.write({ ...ctx, action: 'balancer.create' }, async (tx) => {
      await assertNameFree(tx, body.name);
      const row = await tx.balancer.create({
        data: {
          name: body.name,
          lbMethod: body.lbMethod,
          ...policyColumns(body),
          ...healthCheckColumns(body.healthCheck),
          connectMs: body.timeouts.connectMs,
          tunnelIdleMs: body.timeouts.tunnelIdleMs,
          keepAliveMs: body.timeouts.keepAliveMs,
          responseHeaderMs: body.timeouts.responseHeaderMs,
          maxTunnelsPerMember: body.limits.maxTunnelsPerMember,
          queueTimeoutMs: body.limits.queueTimeoutMs,
          retries: body.failover.retries,
        },
      });
      const dto = toBalancerDto(row);
      return { result: dto, target: `balancer:${row.id}`, before: null, after: dto };
    });
  }

  /** @throws Problem `not-found`, or `conflict` when renaming to a taken name. */
  async update(ctx: WriteContext, id: string, body: UpdateBalancerBody) {
    return this.revisions.write({ ...ctx, action: 'balancer.update' }, async (tx) => {
      const before = await findBalancer(tx, id);
      if (body.name && body.name !== before.name) await assertNameFree(tx, body.name);
      const row = await tx.balancer.update({
        where: { id },
        data: {
          name: body.name,
          lbMethod: body.lbMethod,
          ...policyColumns(body),
          ...(body.healthCheck ? healthCheckColumns(resolveHealthCheck(healthCheckOf(before), body.healthCheck)) : {}),
          connectMs: body.timeouts?.connectMs,
          tunnelIdleMs: body.timeouts?.tunnelIdleMs,
          keepAliveMs: body.timeouts?.keepAliveMs,
          responseHeaderMs: body.timeouts?.responseHeaderMs,
          maxTunnelsPerMember: body.limits?.maxTunnelsPerMember,
          queueTimeoutMs: body.limits?.queueTimeoutMs,
          retries: body.failover?.retries,
        },
      });
      return { result: toBalancerDto(row), target: `balancer:${id}`, before: toBalancerDto(before), after: toBalancerDto(row) };
    });
  }

  /**
   * Asks every agent to move tunnels off members above their fair share (see the protocol's
   * `rebalance`): a new revision whose balancer carries `rebalance.requestedAt` = now.
   * @throws Problem `not-found`.
   */
  async rebalance(ctx: WriteContext, id: string, body: RebalanceBody) {
    return this.revisions.write({ ...ctx, action: 'balancer.rebalance' }, async (tx) => {
      const before = await findBalancer(tx, id);
      const row = await tx.balancer.update({
        where: { id },
        data: { rebalanceRequestedAt: new Date(), rebalanceTolerance: body.tolerance, rebalanceClosesPerSecond: body.closesPerSecond },
      });
      return { result: toBalancerDto(row), target: `balancer:${id}`, before: toBalancerDto(before), after: toBalancerDto(row) };
    });
  }

  /** Deletes a balancer and its members. @throws Problem `not-found`, or `conflict` while routes point to it. */
  async remove(ctx: WriteContext, id: string) {
    return this.revisions.write({ ...ctx, action: 'balancer.delete' }, async (tx) => {
      const before = await findBalancer(tx, id);
      const routes = await tx.route.count({ where: { balancerId: id } });
      if (routes > 0) throw new Problem('conflict', `balancer ${before.name} is used by ${routes} route(s); delete or re-point them first`);
      await tx.balancer.delete({ where: { id } });
      return { result: toBalancerDto(before), target: `balancer:${id}`, before: toBalancerDto(before), after: null };
    });
  }
}

/**
 * A partial `healthCheck` merged over `base`, checked as a whole (timeoutMs ≤ intervalMs).
 * @throws Problem `validation` naming `healthCheck.<field>`.
 */
function resolveHealthCheck(base: HealthCheck, input: HealthCheckInput): HealthCheck {
  const result = healthCheck.safeParse({ ...base, ...input });
  if (result.success) return result.data;
  const errors = fieldErrors(result.error).map((e) => ({ ...e, path: `healthCheck.${e.path}` }));
  throw new Problem('validation', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** The balancer row `id`. @throws Problem `not-found`. */
export async function findBalancer(db: Tx, id: string) {
  const row = await db.balancer.findUnique({ where: { id } });
  if (!row) throw new Problem('not-found', `balancer ${id} does not exist`);
  return row;
}

async function assertNameFree(tx: Tx, name: string): Promise<void> {
  if (await tx.balancer.findUnique({ where: { name } })) {
    throw new Problem('conflict', `a balancer named ${name} already exists`, [{ path: 'name', message: 'is already taken' }]);
  }
}
