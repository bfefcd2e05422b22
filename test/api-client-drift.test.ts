/**
 * Contract drift guard: the committed OpenAPI document and typed client (libs/api-client) must be
 * exactly what the operations table of libs/protocol/src/api generates, and a running control
 * plane must serve that same document. Fails, saying to run `npm run api:generate`, when a schema
 * or an operation changed without regenerating the client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@switchboard/api-client';
import { buildOpenApiDocument } from '../apps/control-plane/src/openapi/document';
import { GENERATED, generateApiClient } from '../scripts/api-generate.mjs';
import { startStack, type Stack } from './support/stack';

const STALE = 'is stale: run `npm run api:generate` and commit libs/api-client';
const committed = (path: string) => readFileSync(join(__dirname, '..', path), 'utf8');

describe('libs/api-client vs the operations table', () => {
  it('regenerating the document and the client gives the committed files, byte for byte', async () => {
    const files = await generateApiClient(buildOpenApiDocument());
    expect(Object.keys(files).sort()).toEqual(Object.values(GENERATED).sort());
    for (const [path, text] of Object.entries(files)) expect(text === committed(path), `${path} ${STALE}`).toBe(true);
  });

  describe('a running control plane', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ agents: 0 });
    });
    afterAll(async () => stack?.stop());

    it('serves the committed document at /api/openapi.json, and Swagger UI from its own assets', async () => {
      const served = await stack.api('GET', '/api/openapi.json');
      expect(served.status).toBe(200);
      expect(served.body, `${GENERATED.document} ${STALE} (or the control plane was not rebuilt: npm run build)`).toEqual(JSON.parse(committed(GENERATED.document)));
      const ui = await stack.api<string>('GET', '/api/docs/');
      expect(ui.status).toBe(200);
      const assets = [...ui.body.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) expect((await stack.api('GET', `/api/docs/${asset}`)).status, asset).toBe(200);
    });

    it('is driven by the generated client: typed answers, problems as errors', async () => {
      const client = createApiClient(stack.apiUrl, { token: stack.adminToken });
      const created = await client.POST('/api/v1/balancers', { body: { name: 'typed', lbMethod: 'p2c' } });
      expect(created.response.status).toBe(201);
      expect(created.response.headers.get('switchboard-revision')).toMatch(/^\d+$/);
      const id = created.data && 'id' in created.data ? created.data.id : '';
      const read = await client.GET('/api/v1/balancers/{id}', { params: { path: { id } } });
      expect(read.data).toMatchObject({ name: 'typed', lbMethod: 'p2c', timeouts: { connectMs: 3000 } });
      const bad = await client.PATCH('/api/v1/balancers/{id}', { params: { path: { id } }, body: { lbMethod: 'random' as 'p2c', timeouts: { connectMs: 0 } } });
      expect(bad.response.status).toBe(400);
      expect(bad.error?.errors?.map((e) => e.path).sort()).toEqual(['lbMethod', 'timeouts.connectMs']);
      const anonymous = await createApiClient(stack.apiUrl).GET('/api/v1/me');
      expect(anonymous.error).toMatchObject({ status: 401, type: 'urn:switchboard:problem:unauthorized' });
    });
  });
});
