import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';

/** A PEM file named by a setting: its absolute path and its bytes as read. */
export interface PemFile {
  readonly file: string;
  readonly pem: Buffer;
}

/** The message of what createSecureContext or crypto threw (OpenSSL's reason). */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why `pem` cannot be a TLS server's certificate (chain), or undefined when it can. */
export function certificateProblem(pem: Buffer): string | undefined {
  try {
    createSecureContext({ cert: pem });
    return undefined;
  } catch (error) {
    return `is not a PEM certificate (${reason(error)})`;
  }
}

/** Why `pem` cannot be a TLS server's private key (PEM, unencrypted), or undefined when it can. */
export function privateKeyProblem(pem: Buffer): string | undefined {
  try {
    createPrivateKey(pem);
    return undefined;
  } catch (error) {
    return `is not an unencrypted PEM private key (${reason(error)})`;
  }
}

/** OpenSSL's reason when a key (valid alone) is not the private key of a certificate (valid alone), or undefined when it is. */
export function keyMismatch(cert: Buffer, key: Buffer): string | undefined {
  try {
    createSecureContext({ cert, key });
    return undefined;
  } catch (error) {
    return reason(error);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Why `pem` is not a CA bundle (one or more PEM certificates, anything between them ignored, as
 * OpenSSL's CAfile), or undefined. Checked here because tls.createSecureContext accepts a `ca`
 * without any certificate silently, which would leave the members unverifiable.
 */
export function caBundleProblem(pem: Buffer): string | undefined {
  const blocks = pem.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `certificate ${i + 1} is invalid (${reason(error)})`;
    }
  }
  return undefined;
}
