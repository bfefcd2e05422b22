import { describe, expect, it } from 'vitest';
import { byText } from './order';

describe('byText', () => {
  it('orders by code units, whatever the locale: upper case before lower, digits before letters', () => {
    const names = ['chat', 'Chat', 'api-2', 'api-10', 'émoji', 'zeta'];
    expect([...names].sort(byText((n) => n))).toEqual(['Chat', 'api-10', 'api-2', 'chat', 'zeta', 'émoji']);
  });
});
