import { Injectable } from '@nestjs/common';
import { findBalancer } from '../balancers/balancers.service';
import { Problem } from '../common/problem';
import type { WriteContext } from '../common/write';
import { PrismaService, type Tx } from '../database/prisma.service';
import { RevisionsService } from '../revisions/revisions.service';
import { toMemberDto, type CreateMemberBody, type MemberDto, type UpdateMemberBody } from './member.dto';

/** Members of a balancer: reads, and writes that each make a revision. */
@Injectable()
export class MembersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly revisions: RevisionsService,
  ) {}

  /** @throws Problem `not-found` for an unknown balancer. */
  async list(balancerId: string): Promise<MemberDto[]> {
    await findBalancer(this.prisma, balancerId);
    const rows = await this.prisma.member.findMany({ where: { balancerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toMemberDto);
  }

  /** @throws Problem `not-found`. */
  async get(balancerId: string, id: string): Promise<MemberDto> {
    return toMemberDto(await findMember(this.prisma, balancerId, id));
  }

  /** @throws Problem `not-found` (balancer), `conflict` (URL already a member of it). */
  async create(ctx: WriteContext, balancerId: string, body: CreateMemberBody) {
    return this.revisions.write({ ...ctx, action: 'member.create' }, async (tx) => {
      await findBalancer(tx, balancerId);
      await assertUrlFree(tx, balancerId, body.url);
      const row = await tx.member.create({ data: { balancerId, ...body } });
      return { result: toMemberDto(row), target: `member:${row.id}`, before: null, after: toMemberDto(row) };
    });
  }

  /** @throws Problem `not-found`, `conflict` (URL already a member). */
  async update(ctx: WriteContext, balancerId: string, id: string, body: UpdateMemberBody, action = 'member.update') {
    return this.revisions.write({ ...ctx, action }, async (tx) => {
      const before = await findMember(tx, balancerId, id);
      if (body.url && body.url !== before.url) await assertUrlFree(tx, balancerId, body.url);
      const row = await tx.member.update({ where: { id }, data: body });
      return { result: toMemberDto(row), target: `member:${id}`, before: toMemberDto(before), after: toMemberDto(row) };
    });
  }

  /** Sets the member draining: agents give it no new tunnels, open ones keep running. */
  async drain(ctx: WriteContext, balancerId: string, id: string) {
    return this.update(ctx, balancerId, id, { state: 'draining' }, 'member.drain');
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
