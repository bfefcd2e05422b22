import { Injectable } from '@nestjs/common';
import type { CreateRouteBody, UpdateRouteBody } from '@switchboard/protocol';
import { Problem } from '../common/problem';
import type { WriteContext } from '../common/write';
import { PrismaService, type Tx } from '../database/prisma.service';
import { RevisionsService } from '../revisions/revisions.service';
import { toRouteDto, type RouteDto } from './route.dto';

/** Routes: reads, and writes that each make a revision. */
@Injectable()
export class RoutesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly revisions: RevisionsService,
  ) {}

  async list(): Promise<RouteDto[]> {
    const rows = await this.prisma.route.findMany({ orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }] });
    return rows.map(toRouteDto);
  }

  /** @throws Problem `not-found`. */
  async get(id: string): Promise<RouteDto> {
    return toRouteDto(await findRoute(this.prisma, id));
  }

  /** @throws Problem `validation` when balancerId names no balancer. */
  async create(ctx: WriteContext, body: CreateRouteBody) {
    return this.revisions.write({ ...ctx, action: 'route.create' }, async (tx) => {
      await assertBalancer(tx, body.balancerId);
      const { match, ...rest } = body;
      const row = await tx.route.create({ data: { ...rest, matchType: match.type, matchPath: match.path } });
      return { result: toRouteDto(row), target: `route:${row.id}`, before: null, after: toRouteDto(row) };
    });
  }

  /** @throws Problem `not-found`, `validation` (unknown balancerId). */
  async update(ctx: WriteContext, id: string, body: UpdateRouteBody) {
    return this.revisions.write({ ...ctx, action: 'route.update' }, async (tx) => {
      const before = await findRoute(tx, id);
      if (body.balancerId) await assertBalancer(tx, body.balancerId);
      const { match, ...rest } = body;
      const row = await tx.route.update({ where: { id }, data: { ...rest, matchType: match?.type, matchPath: match?.path } });
      return { result: toRouteDto(row), target: `route:${id}`, before: toRouteDto(before), after: toRouteDto(row) };
    });
  }

  /** @throws Problem `not-found`. */
  async remove(ctx: WriteContext, id: string) {
    return this.revisions.write({ ...ctx, action: 'route.delete' }, async (tx) => {
      const before = await findRoute(tx, id);
      await tx.route.delete({ where: { id } });
      return { result: toRouteDto(before), target: `route:${id}`, before: toRouteDto(before), after: null };
    });
  }
}

async function findRoute(db: Tx, id: string) {
  const row = await db.route.findUnique({ where: { id } });
  if (!row) throw new Problem('not-found', `route ${id} does not exist`);
  return row;
}

async function assertBalancer(tx: Tx, balancerId: string): Promise<void> {
  if (!(await tx.balancer.findUnique({ where: { id: balancerId } }))) {
    throw new Problem('validation', `balancer ${balancerId} does not exist`, [{ path: 'balancerId', message: 'names no balancer' }]);
  }
}
