import { login, logout } from '@/lib/login';
import { DEFAULT_API_URL, problem } from '@/lib/proxy';
import { crossSiteRefusal } from '@/lib/same-origin';

// The dashboard's own login (POST) and logout (DELETE): the API token goes into an HttpOnly,
// SameSite=Strict cookie and never reaches page scripts.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function refused(request: Request): Response | null {
  const refusal = crossSiteRefusal(request);
  return refusal ? problem(403, 'Forbidden', `Cross-site request refused: ${refusal}.`) : null;
}

export async function POST(request: Request): Promise<Response> {
  return refused(request) ?? (await login(request, { baseUrl: process.env.SWITCHBOARD_API_URL ?? DEFAULT_API_URL }));
}

export function DELETE(request: Request): Response {
  return refused(request) ?? logout(request);
}
