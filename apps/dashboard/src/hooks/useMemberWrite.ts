'use client';

import { useState } from 'react';
import { api, failureOf, revisionOf, type Failure } from '@/lib/api';
import type { Member } from '@/lib/types';
import type { MemberChange } from '@/components/MemberTable';

export type MemberAction = 'drain' | 'disable' | 'enable' | 'weight';

/**
 * Writes to one member, one at a time: `busy` names the action under way; `send` resolves null
 * when the control plane accepted it (and `onChanged` has the member it answered), else the
 * failure, for the caller to show where it belongs.
 */
export function useMemberWrite(member: Member, onChanged: (change: MemberChange) => void) {
  const [busy, setBusy] = useState<MemberAction | null>(null);

  async function send(action: MemberAction, method: 'POST' | 'PATCH', url: string, body: Record<string, unknown>, summary: string): Promise<Failure | null> {
    setBusy(action);
    try {
      const res = await api<Member>(method, url, body);
      const updated = res.body?.id === member.id ? res.body : { ...member, ...body };
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
