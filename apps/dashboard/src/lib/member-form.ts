import { memberState } from '@switchboard/protocol';
import { bodyOf, valuesOf, type FieldSpec, type FormValues } from './field-spec';
import type { MemberField } from './roles';
import type { Member } from '@switchboard/api-client';

/** The member form's fields, under the names POST/PATCH …/members use. */
export const MEMBER_SPECS: readonly FieldSpec<MemberField>[] = [
  { path: 'url', label: 'URL', kind: 'text', hint: 'ws://, wss://, http:// or https://' },
  { path: 'name', label: 'Name', kind: 'text', nullable: true, hint: 'optional' },
  { path: 'weight', label: 'Weight', kind: 'number', hint: '1–100' },
  { path: 'lbset', label: 'lbset', kind: 'number', hint: '0–99; higher = fallback tier' },
  { path: 'state', label: 'State', kind: 'choice', options: memberState.options },
];

export type MemberValues = FormValues<MemberField>;

/** The form's values: an existing member's, or a new member's defaults (weight 1, lbset 0, active). */
export function memberValues(member?: Pick<Member, 'url' | 'name' | 'weight' | 'lbset' | 'state'>): MemberValues {
  return valuesOf(MEMBER_SPECS, member ?? { url: '', name: null, weight: 1, lbset: 0, state: 'active' });
}

/**
 * The body of POST …/members (no `initial`: every field the role may send) or PATCH
 * …/members/{id} (only the allowed fields that differ from `initial`). `allowed` are the
 * fields the role may change (operators: state and weight), as roles.ts `permissionsOf`.
 */
export function memberBody(values: MemberValues, allowed: readonly MemberField[], initial?: MemberValues): Record<string, unknown> {
  return bodyOf(MEMBER_SPECS, values, { initial, include: (path) => allowed.includes(path) });
}
