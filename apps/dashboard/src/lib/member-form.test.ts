import { describe, expect, it } from 'vitest';
import { memberBody, memberValues } from './member-form';
import { permissionsOf } from './roles';

const admin = permissionsOf('admin').memberFields;
const operator = permissionsOf('operator').memberFields;

describe('member form', () => {
  it('starts a new member at weight 1, lbset 0, active, and posts every field', () => {
    const values = { ...memberValues(), url: ' ws://10.0.0.5:8000 ' };
    expect(memberBody(values, admin)).toEqual({ url: 'ws://10.0.0.5:8000', name: null, weight: 1, lbset: 0, state: 'active' });
    expect(memberBody({ ...values, name: 'c', weight: '5', lbset: '1', state: 'standby' }, admin)).toEqual({ url: 'ws://10.0.0.5:8000', name: 'c', weight: 5, lbset: 1, state: 'standby' });
  });

  it('patches only what changed, and only what the role may change', () => {
    const initial = memberValues({ url: 'ws://a:1', name: 'a', weight: 1, lbset: 0, state: 'active' });
    expect(memberBody(initial, admin, initial)).toEqual({});
    const values = { ...initial, name: '', weight: '7', lbset: '2' };
    expect(memberBody(values, admin, initial)).toEqual({ name: null, weight: 7, lbset: 2 });
    expect(memberBody(values, operator, initial)).toEqual({ weight: 7 });
    expect(memberBody({ ...initial, weight: 'x' }, operator, initial)).toEqual({ weight: 'x' });
  });
});
