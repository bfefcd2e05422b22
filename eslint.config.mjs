// Lint: typescript-eslint with the type-aware rules that catch proxy and async bugs, plus the
// module boundaries of ../shared/DESIGN.md enforced with no-restricted-imports (nx core has no
// @nx/enforce-module-boundaries without its plugins):
//   agent          → never Nest, Prisma, control-plane or dashboard code
//   dashboard      → never control-plane or agent code, never Prisma
//   libs/protocol  → nothing of ours and no framework
//   libs/api-client → only its generated types and openapi-fetch (browser-safe)
//   control-plane  → never agent or dashboard code
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const boundary = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: patterns.map(([group, message]) => ({ group, message })) }] },
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.next/**', '**/generated/**', '**/next-env.d.ts', '.switchboard/**', '.nx/**', 'libs/api-client/src/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // Nest injects by the runtime class named in decorator metadata: a type-only import of an
    // injected class would erase it, so consistent-type-imports must not rewrite those.
    files: ['apps/control-plane/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URL: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  boundary(['apps/agent/**'], [
    [['@nestjs/*', '@prisma/*', 'prisma', 'prisma/*', 'next', 'next/*', 'react'], 'the agent is plain Node: no Nest, Prisma or UI frameworks on the data plane'],
    [['**/control-plane/**', '**/dashboard/**'], 'the agent shares code only through libs/'],
  ]),
  boundary(['apps/dashboard/**'], [
    [['@nestjs/*', '@prisma/*', 'prisma', 'pg'], 'the dashboard talks to the control plane over HTTP only'],
    [['**/control-plane/**', '**/agent/**'], 'the dashboard never imports control-plane or agent code'],
  ]),
  {
    // The dashboard calls the API through the typed client of src/lib/api.ts (types, 401 →
    // login, problems → ApiError in one place), never by a hand-written fetch('/api/v1/…').
    files: ['apps/dashboard/src/**/*.ts', 'apps/dashboard/src/**/*.tsx'],
    ignores: ['apps/dashboard/src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...[
      "CallExpression[callee.name='fetch'] > Literal.arguments[value=/^\\/api\\//]",
      "CallExpression[callee.name='fetch'] > TemplateLiteral.arguments > TemplateElement.quasis:first-child[value.raw=/^\\/api\\//]",
    ].map((selector) => ({ selector, message: "call the API with `client` of '@/lib/api' (the typed client), not fetch()" }))] },
  },
  boundary(['libs/protocol/**'], [
    [['@nestjs/*', '@prisma/*', 'next', 'react', 'ws', '**/apps/**'], 'libs/protocol depends on nothing of ours and on no framework'],
  ]),
  {
    // The dashboard imports '@switchboard/protocol' in the browser: only node.ts (and what it
    // re-exports) may use Node's modules.
    files: ['libs/protocol/src/**/*.ts'],
    ignores: ['libs/protocol/src/node.ts', 'libs/protocol/src/hash.ts', 'libs/protocol/src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['@nestjs/*', '@prisma/*', 'next', 'react', 'ws', '**/apps/**'], message: 'libs/protocol depends on nothing of ours and on no framework' },
      { group: ['node:*', 'crypto', 'fs', 'net', 'http', 'path'], message: 'browser code: Node-only helpers live behind @switchboard/protocol/node' },
    ] }] },
  },
  boundary(['libs/api-client/**'], [
    [['@nestjs/*', '@prisma/*', 'next', 'react', 'ws', '**/apps/**', 'node:*'], 'the typed client runs in the browser too and knows the API only through its generated types'],
  ]),
  boundary(['apps/control-plane/**'], [[['**/agent/src/**', '**/dashboard/**'], 'the control plane shares code with the agent only through libs/']]),
  boundary(['apps/cli/**'], [
    [['@nestjs/*', '@prisma/*', 'next', 'react', 'pg'], 'the CLI talks to the control plane over HTTP only, through the generated client'],
    [['**/control-plane/**', '**/agent/**', '**/dashboard/**'], 'the CLI shares code only through libs/'],
  ]),
);
