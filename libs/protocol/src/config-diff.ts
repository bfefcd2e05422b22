import { createTwoFilesPatch } from 'diff';
import { configDocumentOf, configDocumentYaml, routeKey, type ConfigDocument } from './api/config-document';
import type { EntityChange, FieldChange } from './api/config-diff';
import type { SnapshotConfig } from './config';
import { byText } from './order';

// The difference between two configurations, as users read them: entities matched by what names
// them in a configuration document (balancer name, member URL, route key), with the id as a
// second chance so that a rename or a moved route reads as one change. Browser-safe.

type Entity = Record<string, unknown>;
type Balancer = ConfigDocument['balancers'][string];

/** Text labels of the two sides of the unified diff. */
export interface DiffLabels {
  before: string;
  after: string;
}

/**
 * The changes from `before` to `after` (balancers in name order, each followed by its members'
 * changes, then routes by key) and `text`, the unified diff of their YAML exports without ids
 * ('' when equal), its sides labelled by `labels`.
 */
export function diffConfigs(before: SnapshotConfig, after: SnapshotConfig, labels: DiffLabels = { before: 'before', after: 'after' }): { changes: EntityChange[]; text: string } {
  const a = configDocumentOf(before, { ids: true });
  const b = configDocumentOf(after, { ids: true });
  return { changes: [...balancerChanges(a, b), ...routeChanges(a, b)], text: yamlDiff(before, after, labels) };
}

function yamlDiff(before: SnapshotConfig, after: SnapshotConfig, labels: DiffLabels): string {
  const a = configDocumentYaml(configDocumentOf(before, { ids: false }));
  const b = configDocumentYaml(configDocumentOf(after, { ids: false }));
  return a === b ? '' : createTwoFilesPatch(labels.before, labels.after, a, b, undefined, undefined, { context: 3 });
}

function balancerChanges(a: ConfigDocument, b: ConfigDocument): EntityChange[] {
  const named = (document: ConfigDocument) => Object.entries(document.balancers).map(([name, balancer]) => ({ name, ...balancer }));
  const pairs = pair(named(a), named(b), [(x) => x.name, (x) => x.id]).sort(byText(([x, y]) => (y ?? x)!.name));
  return pairs.flatMap(([x, y]) => {
    const name = (y ?? x)!.name;
    const own = entityChange('balancer', name, name, settingsOf(x), settingsOf(y));
    const members = pair(x?.members ?? [], y?.members ?? [], [(m) => m.url, (m) => m.id]).sort(byText(([p, q]) => (q ?? p)!.url));
    return [...own, ...members.flatMap(([p, q]) => entityChange('member', name, (q ?? p)!.url, p, q))];
  });
}

function routeChanges(a: ConfigDocument, b: ConfigDocument): EntityChange[] {
  const keyOf = (route: ConfigDocument['routes'][number]) => routeKey({ host: route.host ?? null, match: { type: route.match.type ?? 'prefix', path: route.match.path }, websocket: route.websocket ?? 'any' });
  const pairs = pair(a.routes, b.routes, [(r) => `${keyOf(r)}\u0000${r.balancer}`, keyOf, (r) => r.id]);
  return pairs
    .map(([x, y]) => entityChange('route', (y ?? x)!.balancer, keyOf((y ?? x)!), x, y))
    .flat()
    .sort(byText((change) => `${change.key}\u0000${change.balancer}`));
}

/** A balancer's own fields (its name included, its members not) for comparison. */
function settingsOf(balancer: (Balancer & { name: string }) | undefined): Entity | undefined {
  if (!balancer) return undefined;
  const { members: _members, ...settings } = balancer;
  return settings;
}

/** The change of one entity from `before` to `after` (either absent), or none when they are equal. */
function entityChange(kind: EntityChange['kind'], balancer: string, key: string, before: object | undefined, after: object | undefined): EntityChange[] {
  const fields = fieldChanges(before, after, '');
  if (fields.length === 0) return [];
  const op = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  return [{ kind, op, balancer, key, fields }];
}

const isObject = (value: unknown): value is Entity => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every leaf that differs between two values, by dotted path; an object on one side and nothing on the other is walked to its leaves. */
function fieldChanges(before: unknown, after: unknown, path: string): FieldChange[] {
  const walk = (isObject(before) || isObject(after)) && (isObject(before) || before === undefined) && (isObject(after) || after === undefined);
  if (walk) {
    const x = (before ?? {}) as Entity;
    const y = (after ?? {}) as Entity;
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    return keys.flatMap((key) => fieldChanges(x[key], y[key], path === '' ? key : `${path}.${key}`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

/**
 * Pairs the entities of two lists: by the first key function, then whatever is left by the
 * next, and so on (an undefined key pairs nothing); the rest are unpaired (removed or added).
 */
function pair<T>(before: T[], after: T[], keys: ((value: T) => string | undefined)[]): [T | undefined, T | undefined][] {
  const pairs: [T | undefined, T | undefined][] = [];
  let left = [...before];
  let right = [...after];
  for (const keyOf of keys) {
    const waiting = new Map<string, T[]>();
    for (const x of left) {
      const key = keyOf(x);
      if (key !== undefined) waiting.set(key, [...(waiting.get(key) ?? []), x]);
    }
    const paired = new Set<T>();
    right = right.filter((y) => {
      const key = keyOf(y);
      const x = key === undefined ? undefined : waiting.get(key)?.shift();
      if (x === undefined) return true;
      pairs.push([x, y]);
      paired.add(x);
      return false;
    });
    left = left.filter((x) => !paired.has(x));
  }
  return [...pairs, ...left.map((x): [T, undefined] => [x, undefined]), ...right.map((y): [undefined, T] => [undefined, y])];
}
