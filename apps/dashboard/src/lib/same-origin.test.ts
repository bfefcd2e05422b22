import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from './same-origin';

const DASH = 'dash.example:3000';

function request(method: string, headers: Record<string, string>): Request {
  // Request() keeps Host and Sec-Fetch-* as given (undici's Request has no forbidden headers).
  return new Request(`http://${DASH}/api/v1/balancers`, { method, headers: { host: DASH, ...headers } });
}

describe('crossSiteRefusal', () => {
  it.each(['GET', 'HEAD'])('lets %s through whatever its origin', (method) => {
    expect(crossSiteRefusal(request(method, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }))).toBeNull();
  });

  describe.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s', (method) => {
    it.each([
      [{ 'sec-fetch-site': 'same-origin' }, null],
      [{ 'sec-fetch-site': 'Same-Origin', origin: 'https://evil.example' }, null],
      [{ origin: `http://${DASH}` }, null],
      [{ origin: `https://${DASH}` }, null],
      [{ 'sec-fetch-site': 'cross-site', origin: `http://${DASH}` }, /Sec-Fetch-Site is "cross-site"/],
      [{ 'sec-fetch-site': 'same-site' }, /Sec-Fetch-Site is "same-site"/],
      [{ 'sec-fetch-site': 'none' }, /Sec-Fetch-Site is "none"/],
      [{ 'sec-fetch-site': '' }, /Sec-Fetch-Site is ""/],
      [{ origin: 'https://evil.example' }, /Origin "https:\/\/evil.example" is not this dashboard/],
      [{ origin: 'http://dash.example:3001' }, /is not this dashboard/],
      [{ origin: `http://${DASH}.evil.example` }, /is not this dashboard/],
      [{ origin: 'null' }, /Origin "null"/],
      [{ origin: 'file://' }, /is not this dashboard/],
      [{}, /neither Sec-Fetch-Site nor Origin/],
    ])('%j → %s', (headers, expected) => {
      const reason = crossSiteRefusal(request(method, headers));
      if (expected === null) expect(reason).toBeNull();
      else expect(reason).toMatch(expected);
    });
  });
});
