import { randomUUID } from 'node:crypto';
import type { ParsedConfigDocument } from '@switchboard/protocol';
import type { Tx } from '../database/prisma.service';
import { planApply, type ApplyPlan } from './apply-plan';

export { readConfig } from './read-config';

/**
 * The config store's write (see readConfig for its read): makes the rows say what `document`
 * says — creates, updates and deletes balancers, members and routes as planApply matches them,
 * keeping the ids and live state (a running drain) of what it matches. Runs inside the caller's
 * transaction, so that it is one revision (RevisionsService.write); the snapshot built afterwards
 * checks the result for consistency.
 */
export async function applyConfig(tx: Tx, document: ParsedConfigDocument): Promise<void> {
  const balancers = await tx.balancer.findMany({ include: { members: true } });
  const routes = await tx.route.findMany();
  await runPlan(tx, planApply({ balancers, routes }, document, { now: Date.now(), newId: randomUUID }));
}

/** A temporary name or URL for an entity moving aside, unique by its id, never seen outside the transaction. */
const parked = (id: string) => `~parked~${id}`;

async function runPlan(tx: Tx, plan: ApplyPlan): Promise<void> {
  await tx.route.deleteMany({ where: { id: { in: plan.deleteRoutes } } });
  await tx.member.deleteMany({ where: { id: { in: plan.deleteMembers } } });
  for (const id of plan.parkBalancers) await tx.balancer.update({ where: { id }, data: { name: parked(id) } });
  for (const { id, data } of plan.updateBalancers) await tx.balancer.update({ where: { id }, data });
  await tx.balancer.createMany({ data: plan.createBalancers });
  for (const id of plan.parkMembers) await tx.member.update({ where: { id }, data: { url: parked(id) } });
  for (const { id, data } of plan.updateMembers) await tx.member.update({ where: { id }, data });
  await tx.member.createMany({ data: plan.createMembers });
  for (const { id, data } of plan.updateRoutes) await tx.route.update({ where: { id }, data });
  await tx.route.createMany({ data: plan.createRoutes });
  await tx.balancer.deleteMany({ where: { id: { in: plan.deleteBalancers } } });
}
