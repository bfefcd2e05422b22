import { forwardWithSession } from '@/lib/forward';
import { DEFAULT_API_URL } from '@/lib/proxy';

// Every call is forwarded at request time: never prerendered, never cached, and the control
// plane's address comes from the runtime environment, not the build.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function handle(request: Request): Promise<Response> {
  return forwardWithSession(request, { baseUrl: process.env.SWITCHBOARD_API_URL ?? DEFAULT_API_URL });
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as HEAD, handle as OPTIONS };
