// `npm run api:generate`: regenerates the committed OpenAPI document and typed client of the REST
// API (libs/api-client) from the control plane's document builder, which reads the operations
// table of libs/protocol/src/api. Run it after changing a schema or an operation, and commit the
// result; test/api-client-drift.test.ts fails until you do. The builder is loaded from the
// control plane's build (the npm script builds it first), so no TypeScript runs here.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILDER = 'dist/control-plane/apps/control-plane/src/openapi/document.js';

/** The generated files, as paths from the repository root. */
export const GENERATED = { document: 'libs/api-client/openapi.json', types: 'libs/api-client/src/schema.d.ts' };

/**
 * The text of every generated file for an OpenAPI document: the document as indented JSON, and
 * its TypeScript types (`paths`, `components`, `operations`) written by openapi-typescript
 * (a field with a default stays optional: request bodies may leave it out). Deterministic: the same document gives the same bytes.
 * @param {object} document an OpenAPI 3.1 document
 * @returns {Promise<Record<string, string>>} file text by path from the repository root
 */
export async function generateApiClient(document) {
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const types = astToString(await openapiTS(JSON.parse(json), { silent: true, defaultNonNullable: false }));
  return { [GENERATED.document]: json, [GENERATED.types]: `${COMMENT_HEADER}// Source: libs/api-client/openapi.json, by \`npm run api:generate\`.\n\n${types}` };
}

async function main() {
  const { buildOpenApiDocument } = createRequire(import.meta.url)(join(root, BUILDER));
  for (const [path, text] of Object.entries(await generateApiClient(buildOpenApiDocument()))) {
    writeFileSync(join(root, path), text);
    console.log(`wrote ${path}`);
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
