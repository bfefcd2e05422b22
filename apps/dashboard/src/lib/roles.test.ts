import { describe, expect, it } from 'vitest';
import { permissionsOf } from './roles';

describe('permissionsOf', () => {
  it('gives admins everything, operators member state and weight, viewers and the unknown nothing', () => {
    expect(permissionsOf('admin')).toEqual({ configure: true, operate: true, memberFields: ['url', 'name', 'weight', 'lbset', 'state'] });
    expect(permissionsOf('operator')).toEqual({ configure: false, operate: true, memberFields: ['weight', 'state'] });
    expect(permissionsOf('viewer')).toEqual({ configure: false, operate: false, memberFields: [] });
    expect(permissionsOf(undefined)).toEqual({ configure: false, operate: false, memberFields: [] });
  });
});
