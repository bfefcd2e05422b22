import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';

/** A PEM file named by a setting: its absolute path and its bytes as read at boot. */
export interface PemFile {
  readonly file: string;
  readonly pem: Buffer;
}

/** The message of what Node or OpenSSL threw. */
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Reads `path` (relative to the working directory); returns the file, or why it cannot be read. */
export function readPemFile(path: string): PemFile | string {
  const file = resolve(path);
  try {
    return { file, pem: readFileSync(file) };
  } catch (error) {
    return `cannot be read (${reason(error)})`;
  }
}

/** Why `pem` cannot be a TLS server's certificate chain (leaf first), or undefined when it can. */
export function certificateProblem(cert: PemFile): string | undefined {
  try {
    createSecureContext({ cert: cert.pem });
    return undefined;
  } catch (error) {
    return `${cert.file} is not a PEM certificate (${reason(error)})`;
  }
}

/** Why `key` is not an unencrypted PEM private key, or not the key of `cert`; undefined when the pair serves TLS. */
export function keyProblem(key: PemFile, cert: PemFile): string | undefined {
  try {
    createPrivateKey(key.pem);
  } catch (error) {
    return `${key.file} is not an unencrypted PEM private key (${reason(error)})`;
  }
  try {
    createSecureContext({ cert: cert.pem, key: key.pem });
    return undefined;
  } catch (error) {
    return `${key.file} is not the key of the certificate in SWITCHBOARD_TLS_CERT_FILE (${reason(error)})`;
  }
}
