'use client';

import { useMemo, useState } from 'react';
import { useConfigWrite, type WriteRequest, type Written } from '@/hooks/useConfigWrite';
import type { FormValue } from '@/lib/field-spec';
import { errorsByField } from '@/lib/form';
import { MEMBER_SPECS, memberBody, memberValues } from '@/lib/member-form';
import type { MemberField } from '@/lib/roles';
import type { Member } from '@/lib/types';
import { SpecField } from './SpecField';
import { WriteControls } from './WriteControls';

interface Props {
  balancerId: string;
  /** The member to edit; null to add one. */
  member: Member | null;
  /** The fields the role may change (operators: state and weight); the others are not offered. */
  allowed: readonly MemberField[];
  onSaved: (written: Written<Member>) => void;
  onCancel: () => void;
}

/** Adds a member (URL, name, weight, lbset, state) or edits one (only what changed is sent), with preview and the API's field errors. */
export function MemberForm({ balancerId, member, allowed, onSaved, onCancel }: Props) {
  const initial = useMemo(() => memberValues(member ?? undefined), [member]);
  const [values, setValues] = useState(initial);
  const write = useConfigWrite<Member>();
  const specs = MEMBER_SPECS.filter((spec) => allowed.includes(spec.path));
  const errors = errorsByField(write.failure?.problem ?? null, allowed);
  const base = `/balancers/${encodeURIComponent(balancerId)}/members`;

  const request = ((): WriteRequest | null => {
    if (!member) return { method: 'POST', path: base, body: memberBody(values, allowed) };
    const body = memberBody(values, allowed, initial);
    return Object.keys(body).length === 0 ? null : { method: 'PATCH', path: `${base}/${encodeURIComponent(member.id)}`, body };
  })();

  function set(path: MemberField, value: FormValue) {
    setValues((current) => ({ ...current, [path]: value }));
    write.discardPreview();
  }

  const testId = member ? 'member-edit' : 'member-add';
  return (
    <form className="inline-form member-form" data-testid={`${testId}-form`} onSubmit={(e) => e.preventDefault()} noValidate>
      {specs.map((spec) => (
        <SpecField key={spec.path} spec={spec} value={values[spec.path]} onChange={(v) => set(spec.path, v)} errors={errors.byField[spec.path]} disabled={write.busy !== null} testId={`${testId}-${spec.path}`} />
      ))}
      <WriteControls write={write} request={request} onSaved={onSaved} onCancel={onCancel} saveLabel={member ? 'Save' : 'Add member'} testId={testId} otherErrors={errors.other} />
    </form>
  );
}
