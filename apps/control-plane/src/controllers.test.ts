import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_KEY } from './auth/roles';

/** Every *.controller.ts under this folder, imported, with its exported controller classes. */
async function controllers(): Promise<Function[]> {
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.controller.ts'));
  const modules = await Promise.all(files.map((f) => import(join(__dirname, f)) as Promise<Record<string, unknown>>));
  return modules.flatMap((m) => Object.values(m).filter((v): v is Function => typeof v === 'function' && Reflect.hasMetadata('path', v)));
}

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
});
