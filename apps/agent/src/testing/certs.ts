import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its private key, as PEM files and as their bytes. */
export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** `DNS:name` or `IP:address` for each name, as subjectAltName lists them. */
function altNames(names: readonly string[]): string {
  return names.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
}

/** A fresh P-256 key for a certificate (fast to make, unlike RSA). */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * Throwaway certificates for tests, made with the `openssl` CLI in a temporary directory: a CA
 * (`ca`), certificates it signs (`issue`) and self-signed ones (`selfSigned`), valid for 2 days.
 * `remove()` deletes the directory.
 */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'agent-pki-'));
  readonly ca: TestCertificate;

  constructor() {
    this.ca = this.make('ca', ['req', '-x509', ...NEW_KEY, '-days', '2', '-subj', '/CN=Switchboard test CA']);
  }

  /** A server certificate for `names` (host names or IP addresses; the first is its CN) signed by the CA. */
  issue(label: string, names: readonly string[]): TestCertificate {
    const csr = join(this.dir, `${label}.csr`);
    const extensions = join(this.dir, `${label}.ext`);
    writeFileSync(extensions, `subjectAltName=${altNames(names)}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    this.openssl(['req', '-new', ...NEW_KEY, '-subj', `/CN=${names[0]}`, '-keyout', join(this.dir, `${label}.key`), '-out', csr]);
    const serial = `0x${randomBytes(8).toString('hex')}`;
    this.openssl(['x509', '-req', '-in', csr, '-CA', this.ca.certFile, '-CAkey', this.ca.keyFile, '-set_serial', serial, '-days', '2', '-extfile', extensions, '-out', join(this.dir, `${label}.crt`)]);
    return this.read(label);
  }

  /** A self-signed certificate for `names` (host names or IP addresses; the first is its CN), trusted by no one. */
  selfSigned(label: string, names: readonly string[]): TestCertificate {
    return this.make(label, ['req', '-x509', ...NEW_KEY, '-days', '2', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${altNames(names)}`]);
  }

  /** Writes a file in the directory (e.g. an invalid PEM) and returns its path. */
  write(name: string, content: string | Buffer): string {
    const file = join(this.dir, name);
    writeFileSync(file, content);
    return file;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private make(label: string, args: string[]): TestCertificate {
    this.openssl([...args, '-keyout', join(this.dir, `${label}.key`), '-out', join(this.dir, `${label}.crt`)]);
    return this.read(label);
  }

  private read(label: string): TestCertificate {
    const certFile = join(this.dir, `${label}.crt`);
    const keyFile = join(this.dir, `${label}.key`);
    return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
  }

  /** Runs openssl; its chatter on stderr is dropped, a failure throws with it. */
  private openssl(args: string[]): void {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
