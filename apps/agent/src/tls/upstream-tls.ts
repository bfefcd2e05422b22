import { isIP } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { SecureContext } from 'node:tls';
import type { UpstreamTls } from '@switchboard/protocol';

/**
 * The certificates trusted for https/wss members, built once per agent: Node's bundled CAs
 * (Mozilla's list, what any Node TLS client trusts; NODE_EXTRA_CA_CERTS too when there is no
 * bundle) plus the PEM `caBundle` of SWITCHBOARD_UPSTREAM_CA_FILE. One shared context spares
 * every connection from loading the roots again (as NGINX's proxy_ssl_trusted_certificate,
 * read once per configuration).
 */
export function createUpstreamTrust(caBundle: Buffer | null): SecureContext {
  return createSecureContext(caBundle ? { ca: [...rootCertificates, caBundle] } : {});
}

/**
 * TLS options for one https/wss member, spread into tls.connect or https.request next to its
 * host and port. `servername` is both the SNI and the name its certificate must carry; `''`
 * sends no SNI and checks the host instead (an IP address, which the certificate must list).
 */
export interface UpstreamTlsOptions {
  /** The agent-wide trust (createUpstreamTrust); absent = Node's default CAs. */
  readonly secureContext?: SecureContext;
  readonly servername: string;
  /** false with the balancer's `tls.insecureSkipVerify`: any certificate is accepted. */
  readonly rejectUnauthorized: boolean;
  /** Always `['http/1.1']`: the agent speaks HTTP/1.1 to members. */
  readonly ALPNProtocols: string[];
}

/**
 * Compiles the TLS options of a member at `host` (name or IP, IPv6 without brackets) under a
 * balancer's `tls` settings, once per snapshot: SNI and verified name = `tls.serverName`, else
 * the host name (NGINX's proxy_ssl_name; none for an IP); verification off with
 * `insecureSkipVerify` (NGINX's proxy_ssl_verify off, HAProxy's `verify none`). Health checks
 * of https/wss members use the same options (see RuntimeMember.target.tls).
 */
export function upstreamTlsOptions(host: string, tls: UpstreamTls, trust: SecureContext | undefined): UpstreamTlsOptions {
  return {
    ...(trust ? { secureContext: trust } : {}),
    // An explicit '' also stops https.request from taking the SNI from the Host header it sends.
    servername: tls.serverName ?? (isIP(host) === 0 ? host : ''),
    rejectUnauthorized: !tls.insecureSkipVerify,
    ALPNProtocols: ['http/1.1'],
  };
}

/** OpenSSL's certificate verification results as Node names them (X509_V_ERR_* without the prefix), and Node's host name check. */
const CERTIFICATE_ERRORS = new Set([
  ...['UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ...['SELF_SIGNED_CERT_IN_CHAIN', 'CERT_CHAIN_TOO_LONG', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED'],
  ...['CERT_SIGNATURE_FAILURE', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'ERROR_IN_CERT_NOT_BEFORE_FIELD'],
  ...['ERROR_IN_CERT_NOT_AFTER_FIELD', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID'],
]);

/** True when a member's certificate was refused (self-signed, unknown issuer, expired, wrong name…): its message says why in words. */
export function isCertificateError(code: string): boolean {
  return CERTIFICATE_ERRORS.has(code);
}
