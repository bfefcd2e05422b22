'use client';

import { useState } from 'react';
import { answer, client, failureOf, formBody, revisionOf, type Failure } from '@/lib/api';
import type { Member } from '@switchboard/api-client';
import type { MemberChange } from '@/components/MemberTable';

export type MemberAction = 'drain' | 'disable' | 'enable' | 'weight';

/** `drain`: POST …/members/{id}/drain with `body`; the other actions PATCH the member with it. */
function sendAction(member: Member, action: MemberAction, body: Record<string, unknown>) {
  const path = { balancerId: member.balancerId, id: member.id };
  if (action === 'drain') return answer(client.POST('/api/v1/balancers/{balancerId}/members/{id}/drain', { params: { path }, body: formBody(body) }));
  return answer(client.PATCH('/api/v1/balancers/{balancerId}/members/{id}', { params: { path }, body: formBody(body) }));
}

/**
 * Writes to one member, one at a time: `busy` names the action under way; `send` resolves null
 * when the control plane accepted it (and `onChanged` has the member it answered), else the
 * failure, for the caller to show where it belongs.
 */
export function useMemberWrite(member: Member, onChanged: (change: MemberChange) => void) {
  const [busy, setBusy] = useState<MemberAction | null>(null);

  async function send(action: MemberAction, body: Record<string, unknown>, summary: string): Promise<Failure | null> {
    setBusy(action);
    try {
      const res = await sendAction(member, action, body);
      const answered = res.body;
      const updated = answered && 'id' in answered && answered.id === member.id ? answered : { ...member, ...body };
      onChanged({ member: updated, revision: revisionOf(res.headers), summary });
      return null;
    } catch (err) {
      return failureOf(err);
    } finally {
      setBusy(null);
    }
  }

  return { busy, send };
}
