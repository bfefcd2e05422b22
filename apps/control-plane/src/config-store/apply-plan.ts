import { routeKey, type ParsedConfigDocument, type ParsedDocumentMember, type ParsedDocumentRoute, type SnapshotRoute } from '@switchboard/protocol';
import { balancerSettingsOf } from '../balancers/balancer.dto';
import type { Member, Route } from '../generated/prisma/client';
import {
  balancerColumns,
  memberColumns,
  memberStateOf,
  routeColumns,
  routeColumnsOf,
  sameJson,
  wantedDrain,
  wantedRebalance,
  type BalancerState,
  type BalancerWithMembers,
  type MemberState,
} from './rows';

/** The rows an apply starts from. */
export interface ExistingConfig {
  balancers: BalancerWithMembers[];
  routes: Route[];
}

/** Where an apply takes the time (epoch ms) of drains and rebalances it starts, and ids of new entities. */
export interface ApplyClock {
  now: number;
  newId: () => string;
}

type Columns<T extends (...args: never[]) => unknown> = ReturnType<T>;

/**
 * The row writes that turn the existing configuration into a document's, in the order they
 * must run (see applyConfig): deletes of routes and members first; balancers renamed or deleted
 * are first "parked" under a temporary name, members moving to another URL or balancer under a
 * temporary URL, so that names and URLs can pass between entities without breaking the unique
 * constraints; balancers are deleted last, once no route points to them.
 */
export interface ApplyPlan {
  deleteRoutes: string[];
  deleteMembers: string[];
  parkBalancers: string[];
  updateBalancers: { id: string; data: Columns<typeof balancerColumns> }[];
  createBalancers: ({ id: string } & Columns<typeof balancerColumns>)[];
  parkMembers: string[];
  updateMembers: { id: string; data: Columns<typeof memberColumns> }[];
  createMembers: ({ id: string } & Columns<typeof memberColumns>)[];
  updateRoutes: { id: string; data: Columns<typeof routeColumns> }[];
  createRoutes: ({ id: string } & Columns<typeof routeColumns>)[];
  deleteBalancers: string[];
}

/**
 * Plans an apply (pure). Entities are matched as the configuration document says: an entity
 * with an `id` is the row of that id (created with it when there is none: that is how a
 * rollback brings a deleted entity back); without one, a balancer by name, a member by URL
 * within its balancer, a route by key (host, match type and path, websocket), preferring one
 * of the same balancer. Matched rows keep their ids and are written only where they differ
 * (a running drain or rebalance is kept, see wantedDrain and wantedRebalance); unmatched rows
 * are deleted.
 */
export function planApply(existing: ExistingConfig, document: ParsedConfigDocument, clock: ApplyClock): ApplyPlan {
  const plan: ApplyPlan = {
    deleteRoutes: [],
    deleteMembers: [],
    parkBalancers: [],
    updateBalancers: [],
    createBalancers: [],
    parkMembers: [],
    updateMembers: [],
    createMembers: [],
    updateRoutes: [],
    createRoutes: [],
    deleteBalancers: [],
  };
  const balancerIds = planBalancers(plan, existing.balancers, document, clock);
  planMembers(plan, existing.balancers, document, balancerIds, clock);
  planRoutes(plan, existing.routes, document.routes, balancerIds, clock);
  return plan;
}

/** Plans the balancers; returns the id of each document balancer by name (kept or new). */
function planBalancers(plan: ApplyPlan, rows: BalancerWithMembers[], document: ParsedConfigDocument, clock: ApplyClock): Map<string, string> {
  const entries = Object.entries(document.balancers);
  const matched = match(entries, rows, [([, b]) => b.id !== undefined && ((row) => row.id === b.id), ([name, b]) => b.id === undefined && ((row) => row.name === name)]);
  const ids = new Map<string, string>();
  entries.forEach(([name, { id, members: _members, rebalance, ...settings }], i) => {
    const row = matched[i];
    const current = row && stateOf(row);
    const wanted: BalancerState = { name, ...settings, rebalance: wantedRebalance(rebalance, current?.rebalance ?? null, clock.now) };
    if (row === null) {
      ids.set(name, id ?? clock.newId());
      plan.createBalancers.push({ id: ids.get(name)!, ...balancerColumns(wanted) });
      return;
    }
    ids.set(name, row.id);
    if (!sameJson(current, wanted)) plan.updateBalancers.push({ id: row.id, data: balancerColumns(wanted) });
    if (row.name !== name) plan.parkBalancers.push(row.id);
  });
  for (const row of unmatched(rows, matched)) {
    plan.parkBalancers.push(row.id);
    plan.deleteBalancers.push(row.id);
  }
  return ids;
}

/** A balancer row's settings without its id, as planBalancers compares them. */
function stateOf(row: BalancerWithMembers): BalancerState {
  const { id: _id, ...state } = balancerSettingsOf(row);
  return state;
}

function planMembers(plan: ApplyPlan, balancers: BalancerWithMembers[], document: ParsedConfigDocument, balancerIds: Map<string, string>, clock: ApplyClock): void {
  const rows = balancers.flatMap((b) => b.members);
  const wanted = Object.entries(document.balancers).flatMap(([name, b]) => b.members.map((member) => ({ balancerId: balancerIds.get(name)!, member })));
  const matched = match(wanted, rows, [
    ({ member }) => member.id !== undefined && ((row) => row.id === member.id),
    ({ balancerId, member }) => member.id === undefined && ((row) => row.balancerId === balancerId && row.url === member.url),
  ]);
  wanted.forEach(({ balancerId, member }, i) => planMember(plan, balancerId, member, matched[i], clock));
  plan.deleteMembers.push(...unmatched(rows, matched).map((row) => row.id));
}

function planMember(plan: ApplyPlan, balancerId: string, member: ParsedDocumentMember, row: Member | null, clock: ApplyClock): void {
  const wanted: MemberState = { balancerId, url: member.url, name: member.name, weight: member.weight, lbset: member.lbset, state: member.state, drain: wantedDrain(member, row, clock.now) };
  if (row === null) {
    plan.createMembers.push({ id: member.id ?? clock.newId(), ...memberColumns(wanted, null, clock.now) });
    return;
  }
  if (sameJson(memberStateOf(row), wanted)) return;
  plan.updateMembers.push({ id: row.id, data: memberColumns(wanted, row, clock.now) });
  if (row.url !== wanted.url || row.balancerId !== balancerId) plan.parkMembers.push(row.id);
}

function planRoutes(plan: ApplyPlan, rows: Route[], routes: ParsedDocumentRoute[], balancerIds: Map<string, string>, clock: ApplyClock): void {
  const keyOfRow = (row: Route) => routeKey({ host: row.host, match: { type: row.matchType as SnapshotRoute['match']['type'], path: row.matchPath }, websocket: row.websocket as SnapshotRoute['websocket'] });
  const matched = match(routes, rows, [
    (route) => route.id !== undefined && ((row) => row.id === route.id),
    (route) => route.id === undefined && ((row) => keyOfRow(row) === routeKey(route) && row.balancerId === balancerIds.get(route.balancer)),
    (route) => route.id === undefined && ((row) => keyOfRow(row) === routeKey(route)),
  ]);
  routes.forEach((route, i) => {
    const row = matched[i];
    const data = routeColumns(route, balancerIds.get(route.balancer)!);
    if (row === null) plan.createRoutes.push({ id: route.id ?? clock.newId(), ...data });
    else if (!sameJson(routeColumnsOf(row), data)) plan.updateRoutes.push({ id: row.id, data });
  });
  plan.deleteRoutes.push(...unmatched(rows, matched).map((row) => row.id));
}

/**
 * Matches each wanted entity to at most one row, each row to at most one entity: pass after
 * pass, an entity still unmatched takes the first free row its test (or false: no test in this
 * pass) accepts. Returns the row of each wanted entity, or null.
 */
function match<W, R>(wanted: W[], rows: R[], passes: ((entity: W) => false | ((row: R) => boolean))[]): (R | null)[] {
  const result: (R | null)[] = wanted.map(() => null);
  const taken = new Set<R>();
  for (const pass of passes) {
    wanted.forEach((entity, i) => {
      const test = result[i] === null && pass(entity);
      if (!test) return;
      const row = rows.find((candidate) => !taken.has(candidate) && test(candidate));
      if (row === undefined) return;
      result[i] = row;
      taken.add(row);
    });
  }
  return result;
}

/** The rows no wanted entity matched. */
function unmatched<R>(rows: R[], matched: (R | null)[]): R[] {
  const taken = new Set(matched);
  return rows.filter((row) => !taken.has(row));
}
