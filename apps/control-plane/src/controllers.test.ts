import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { operationList, type Operation } from '@switchboard/protocol';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_KEY } from './auth/roles';
import { API_PREFIX, OPERATION_KEY, unprefixedPaths } from './common/endpoint';
import { buildOpenApiDocument } from './openapi/document';

/** Every *.controller.ts under this folder, imported, with its exported controller classes. */
async function controllers(): Promise<Function[]> {
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.controller.ts'));
  const modules = await Promise.all(files.map((f) => import(join(__dirname, f)) as Promise<Record<string, unknown>>));
  return modules.flatMap((m) => Object.values(m).filter((v): v is Function => typeof v === 'function' && Reflect.hasMetadata('path', v)));
}

/** One routed controller method: `GET /api/v1/balancers/{id}` as Nest routes it, and the operation @Endpoint recorded. */
interface Route {
  handler: string;
  route: string;
  operation: Operation | undefined;
}

/** Every routed method of every controller, its method and full path read from Nest's own metadata. */
async function routes(): Promise<Route[]> {
  const unprefixed = new Set(unprefixedPaths());
  return (await controllers()).flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype).flatMap((key) => {
      const handler = (controller.prototype as Record<string, unknown>)[key];
      if (key === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata('method', handler)) return [];
      const local = [Reflect.getMetadata('path', controller) as string, Reflect.getMetadata('path', handler) as string].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/');
      const path = `${unprefixed.has(local) ? '' : API_PREFIX}/${local}`.replace(/:(\w+)/g, '{$1}');
      const method = RequestMethod[Reflect.getMetadata('method', handler) as number].toLowerCase();
      return [{ handler: `${controller.name}.${key}`, route: `${method} ${path}`, operation: Reflect.getMetadata(OPERATION_KEY, handler) as Operation | undefined }];
    }),
  );
}

const routeOf = (op: Operation) => `${op.method} ${op.path}`;

describe('controllers', () => {
  it('every route declares @Auth(role) or @Public(), so none is open by accident', async () => {
    const undeclared: string[] = [];
    const found = await controllers();
    expect(found.length).toBeGreaterThanOrEqual(9);
    for (const controller of found) {
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata('method', handler)) continue;
        if (!Reflect.getMetadata(AUTH_KEY, handler) && !Reflect.getMetadata(AUTH_KEY, controller)) undeclared.push(`${controller.name}.${key}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('carry decorator metadata, without which Nest would inject undefined (TOOLCHAIN pitfall 4)', async () => {
    const found = await controllers();
    const withDeps = found.filter((c) => c.length > 0);
    expect(withDeps.length).toBeGreaterThan(0);
    for (const controller of withDeps) expect(Reflect.getMetadata('design:paramtypes', controller), controller.name).toHaveLength(controller.length);
  });

  it('route every operation of the table exactly once, each at its own method and path (@Endpoint)', async () => {
    const found = await routes();
    expect(found.filter((r) => !r.operation).map((r) => r.handler), 'routes without @Endpoint').toEqual([]);
    expect(found.filter((r) => r.operation && routeOf(r.operation) !== r.route).map((r) => `${r.handler}: ${r.route}`), 'routes elsewhere than their operation says').toEqual([]);
    const ids = found.map((r) => r.operation?.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'operations routed twice').toEqual([]);
    expect(new Set(ids)).toEqual(new Set(operationList.map((op) => op.id)));
  });

  it('serve an OpenAPI document whose operations are exactly the table', () => {
    const document = buildOpenApiDocument();
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>).map(([method, operation]) => `${operation.operationId} ${method} ${path}`),
    );
    expect(documented.sort()).toEqual(operationList.map((op) => `${op.id} ${routeOf(op)}`).sort());
  });
});
