import { afterAll, beforeAll } from 'vitest';
import { TestPki } from './certs';
import type { TestCertificate } from './certs';

/** A test CA and the agent TLS listener's certificate, as useListenerPki hands them out. */
export interface ListenerPki {
  /** The CA (trust `pki.ca.cert` in clients); throws before the suite's beforeAll ran. */
  readonly pki: TestPki;
  /** A certificate for `localhost` and 127.0.0.1, signed by `pki`; throws before beforeAll ran. */
  readonly listener: TestCertificate;
}

/**
 * Makes a test CA and a listener certificate before the tests of the enclosing file or
 * `describe` block (vitest beforeAll) and removes their files after them (afterAll).
 */
export function useListenerPki(): ListenerPki {
  let made: { pki: TestPki; listener: TestCertificate } | undefined;
  beforeAll(() => {
    const pki = new TestPki();
    made = { pki, listener: pki.issue('listener', ['localhost', '127.0.0.1']) };
  });
  afterAll(() => made?.pki.remove());
  const get = () => {
    if (!made) throw new Error('useListenerPki: used before its beforeAll ran');
    return made;
  };
  return {
    get pki() {
      return get().pki;
    },
    get listener() {
      return get().listener;
    },
  };
}
