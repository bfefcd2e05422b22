'use client';

import type { Balancer } from '@switchboard/api-client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Written } from '@/hooks/useConfigWrite';
import { usePermissions } from '@/hooks/usePermissions';
import { answer, client, writeParams } from '@/lib/api';
import { BalancerForm } from './BalancerForm';
import { BalancerSettings } from './BalancerSettings';
import type { ChangeNoteData } from './BalancerView';
import { ConfirmWrite } from './ConfirmWrite';

interface Props {
  balancer: Balancer;
  /** Members of the balancer, for the delete confirmation (null while loading). */
  memberCount: number | null;
  onSaved: (balancer: Balancer) => void;
  onNote: (note: ChangeNoteData) => void;
}

/**
 * The balancer's settings at a glance and, for admins, "Edit settings" (the settings form in
 * their place) and "Delete balancer…" (a confirmation; the API refuses while routes use it, 409).
 */
export function BalancerAdmin({ balancer, memberCount, onSaved, onNote }: Props) {
  const { configure } = usePermissions();
  const router = useRouter();
  const [panel, setPanel] = useState<'edit' | 'delete' | null>(null);

  function saved({ result, revision }: Written<Balancer>) {
    setPanel(null);
    onSaved(result);
    onNote({ summary: 'Settings saved', subject: result.name, revision });
  }

  return (
    <>
      {configure && panel === null && (
        <div className="buttons admin-buttons">
          <button type="button" data-testid="edit-balancer" onClick={() => setPanel('edit')}>
            Edit settings
          </button>
          <button type="button" className="danger-outline" data-testid="delete-balancer" onClick={() => setPanel('delete')}>
            Delete balancer…
          </button>
        </div>
      )}
      {panel === 'delete' && (
        <ConfirmWrite
          request={(mode) => answer(client.DELETE('/api/v1/balancers/{id}', { params: { path: { id: balancer.id }, ...writeParams(mode) } }))}
          confirmLabel="Delete balancer"
          testId="delete-balancer"
          onDone={() => router.push('/')}
          onCancel={() => setPanel(null)}
        >
          <p>
            Delete balancer <strong>{balancer.name}</strong>
            {memberCount !== null && ` and its ${memberCount} ${memberCount === 1 ? 'member' : 'members'}`}? Agents send it no new traffic from the next revision; open
            tunnels run on until they end. A balancer that routes still point to cannot be deleted: delete or re-point them first.
          </p>
        </ConfirmWrite>
      )}
      {panel === 'edit' ? <BalancerForm balancer={balancer} onSaved={saved} onCancel={() => setPanel(null)} /> : <BalancerSettings balancer={balancer} />}
    </>
  );
}
