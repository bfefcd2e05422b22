'use client';

import { useMemo, useState } from 'react';
import { useConfigWrite, type WriteRequest, type Written } from '@/hooks/useConfigWrite';
import { answer, client, formBody, writeParams } from '@/lib/api';
import type { FormValue } from '@/lib/field-spec';
import { errorsByField } from '@/lib/form';
import { MEMBER_SPECS, memberBody, memberValues } from '@/lib/member-form';
import type { MemberField } from '@/lib/roles';
import type { Member } from '@switchboard/api-client';
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

  const request = ((): WriteRequest<Member> | null => {
    if (!member) return (mode) => answer(client.POST('/api/v1/balancers/{balancerId}/members', { params: { path: { balancerId }, ...writeParams(mode) }, body: formBody(memberBody(values, allowed)) }));
    const body = memberBody(values, allowed, initial);
    if (Object.keys(body).length === 0) return null;
    return (mode) => answer(client.PATCH('/api/v1/balancers/{balancerId}/members/{id}', { params: { path: { balancerId, id: member.id }, ...writeParams(mode) }, body: formBody(body) }));
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
