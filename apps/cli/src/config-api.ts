import { createApiClient, type ConfigChange, type Problem } from '@switchboard/api-client';
import type { ConfigApi } from './commands';

/** An API answer that is not a success: the message is the problem's detail and every field error on its own line. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    problem: Problem | undefined,
  ) {
    super(problemText(status, problem));
  }
}

/**
 * The control-plane calls of the CLI over the generated typed client (`@switchboard/api-client`):
 * GET /api/v1/config (YAML as the control plane writes it, or JSON) and PUT /api/v1/config.
 * @throws ApiError for any answer but a success; TypeError (fetch failed) when unreachable.
 */
export function configApi(baseUrl: string, token: string): ConfigApi {
  const client = createApiClient(baseUrl, { token });
  return {
    async exportConfig(format, ids) {
      const query = { ids: ids ? 'true' : 'false' } as const;
      if (format === 'json') {
        const { data, error, response } = await client.GET('/api/v1/config', { params: { query } });
        if (data === undefined) throw new ApiError(response.status, error);
        return `${JSON.stringify(data, null, 2)}\n`;
      }
      const { data, error, response } = await client.GET('/api/v1/config', { params: { query }, headers: { accept: 'application/yaml' }, parseAs: 'text' });
      if (data === undefined) throw new ApiError(response.status, parseProblem(error));
      return String(data);
    },
    async applyConfig(document, options) {
      const { data, error, response } = await client.PUT('/api/v1/config', {
        params: { query: options.dryRun ? { dryRun: 'true' } : {}, header: options.ifMatch === null ? {} : { 'If-Match': String(options.ifMatch) } },
        body: document as never,
      });
      if (data === undefined) throw new ApiError(response.status, error);
      return data satisfies ConfigChange;
    },
  };
}

/** With `parseAs: 'text'` a problem arrives as its JSON text. */
function parseProblem(error: unknown): Problem | undefined {
  if (typeof error !== 'string') return error as Problem | undefined;
  try {
    return JSON.parse(error) as Problem;
  } catch {
    return undefined;
  }
}

function problemText(status: number, problem: Problem | undefined): string {
  const head = `HTTP ${status}: ${problem?.detail ?? problem?.title ?? 'the control plane refused the request'}`;
  const fields = (problem?.errors ?? []).map((e) => `  ${e.path || '(document)'}: ${e.message}`);
  return [head, ...fields].join('\n');
}
