'use client';

import { useState } from 'react';
import { usePermissions } from '@/hooks/usePermissions';
import { MemberForm } from './MemberForm';
import type { MemberChange } from './MemberTable';

/** "Add member…" under the member table (admins), opening the member form. */
export function MemberAdd({ balancerId, onChanged }: { balancerId: string; onChanged: (change: MemberChange) => void }) {
  const { memberFields } = usePermissions();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="add-member" data-testid="add-member" onClick={() => setOpen(true)}>
        Add member…
      </button>
    );
  }
  return (
    <div className="card add-member">
      <h2>New member</h2>
      <MemberForm
        balancerId={balancerId}
        member={null}
        allowed={memberFields}
        onSaved={({ result, revision }) => {
          setOpen(false);
          onChanged({ member: result, revision, summary: 'Member added' });
        }}
        onCancel={() => setOpen(false)}
      />
    </div>
  );
}
