import { Inject, Injectable } from '@nestjs/common';
import type { CreateMemberBody, DrainBody, UpdateMemberBody } from '@switchboard/protocol';
import { onlineWhere } from '../agents/online';
import { findBalancer } from '../balancers/balancers.service';
import { Problem } from '../common/problem';
import type { WriteContext } from '../common/write';
import type { Env } from '../config/env';
import { ENV } from '../config/settings.module';
import { PrismaService, type Tx } from '../database/prisma.service';
import { RevisionsService } from '../revisions/revisions.service';
import { drainColumns, toMemberDto, type MemberDto } from './member.dto';

/** Members of a balancer: reads, and writes that each make a revision. */
@Injectable()
export class MembersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly revisions: RevisionsService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** Members with their drain progress. @throws Problem `not-found` for an unknown balancer. */
  async list(balancerId: string): Promise<MemberDto[]> {
    await findBalancer(this.prisma, balancerId);
    const rows = await this.prisma.member.findMany({ where: { balancerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const open = await this.openTunnels(rows.map((row) => row.id));
    return rows.map((row) => toMemberDto(row, open.get(row.id)));
  }

  /** A member with its drain progress. @throws Problem `not-found`. */
  async get(balancerId: string, id: string): Promise<MemberDto> {
    const row = await findMember(this.prisma, balancerId, id);
    return toMemberDto(row, (await this.openTunnels([id])).get(id));
  }

  /** Open tunnels per member, summed over online agents (members no agent reports are absent). */
  private async openTunnels(memberIds: string[]): Promise<Map<string, number>> {
    const sums = await this.prisma.agentStat.groupBy({
      by: ['memberId'],
      where: { memberId: { in: memberIds }, agent: onlineWhere(this.env.SWITCHBOARD_AGENT_OFFLINE_MS) },
      _sum: { openTunnels: true },
    });
    return new Map(sums.map((row) => [row.memberId, row._sum.openTunnels ?? 0]));
  }

  /** @throws Problem `not-found` (balancer), `conflict` (URL already a member of it). */
  async create(ctx: WriteContext, balancerId: string, body: CreateMemberBody) {
    return this.revisions.write({ ...ctx, action: 'member.create' }, async (tx) => {
      await findBalancer(tx, balancerId);
      await assertUrlFree(tx, balancerId, body.url);
      const row = await tx.member.create({ data: { balancerId, ...body, ...drainColumns(body.state) } });
      return { result: toMemberDto(row), target: `member:${row.id}`, before: null, after: toMemberDto(row) };
    });
  }

  /** @throws Problem `not-found`, `conflict` (URL already a member). */
  async update(ctx: WriteContext, balancerId: string, id: string, body: UpdateMemberBody) {
    return this.revisions.write({ ...ctx, action: 'member.update' }, async (tx) => {
      const before = await findMember(tx, balancerId, id);
      if (body.url && body.url !== before.url) await assertUrlFree(tx, balancerId, body.url);
      const row = await tx.member.update({ where: { id }, data: { ...body, ...drainColumns(body.state === before.state ? undefined : body.state) } });
      return { result: toMemberDto(row), target: `member:${id}`, before: toMemberDto(before), after: toMemberDto(row) };
    });
  }

  /**
   * Sets the member draining (again: the drain's clock restarts): agents give it no new tunnels;
   * with `deadlineMs` they close its open tunnels, paced, by then (close 1001).
   * @throws Problem `not-found`.
   */
  async drain(ctx: WriteContext, balancerId: string, id: string, body: DrainBody) {
    return this.revisions.write({ ...ctx, action: 'member.drain' }, async (tx) => {
      const before = await findMember(tx, balancerId, id);
      const row = await tx.member.update({ where: { id }, data: { state: 'draining', ...drainColumns('draining', body) } });
      return { result: toMemberDto(row), target: `member:${id}`, before: toMemberDto(before), after: toMemberDto(row) };
    });
  }

  /** @throws Problem `not-found`. */
  async remove(ctx: WriteContext, balancerId: string, id: string) {
    return this.revisions.write({ ...ctx, action: 'member.delete' }, async (tx) => {
      const before = await findMember(tx, balancerId, id);
      await tx.member.delete({ where: { id } });
      return { result: toMemberDto(before), target: `member:${id}`, before: toMemberDto(before), after: null };
    });
  }
}

async function findMember(db: Tx, balancerId: string, id: string) {
  const row = await db.member.findFirst({ where: { id, balancerId } });
  if (!row) throw new Problem('not-found', `member ${id} of balancer ${balancerId} does not exist`);
  return row;
}

async function assertUrlFree(tx: Tx, balancerId: string, url: string): Promise<void> {
  if (await tx.member.findFirst({ where: { balancerId, url } })) {
    throw new Problem('conflict', `${url} is already a member of this balancer`, [{ path: 'url', message: 'is already a member of this balancer' }]);
  }
}
