// Signatures of the regulator's daily reports: the engine's reporting key (ed25519) signs
// `GTX-DAILY-REPORT-V1|<day>|<json|csv>|<SHA-256 of the file, hex>`. verifyReport is pure and
// self-contained (node:crypto only), so a regulator can check a download with this file alone.
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/** The domain tag of a report's sign bytes (version 1). */
export const REPORT_DOMAIN = 'GTX-DAILY-REPORT-V1';
export type ReportFormat = 'json' | 'csv';

/** DER prefixes that wrap a raw 32-byte ed25519 key as SPKI (public) or PKCS#8 (private). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The exact bytes signed for one file of one day's report. */
export function reportSignBytes(day: string, format: ReportFormat, sha256: string): Buffer {
  return Buffer.from([REPORT_DOMAIN, day, format, sha256].join('|'), 'utf8');
}

/** The 32-byte public key (hex) of a reporting seed. */
export function reportingPublicKeyHex(seed: Uint8Array): string {
  const priv = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seed)]),
    format: 'der',
    type: 'pkcs8',
  });
  const x = createPublicKey(priv).export({ format: 'jwk' }).x;
  if (!x) throw new Error('ed25519 public key export failed');
  return Buffer.from(x, 'base64url').toString('hex');
}

/** Signs a report file: SHA-256 of its bytes, then ed25519 over the sign bytes. */
export function signReport(
  seed: Uint8Array,
  day: string,
  format: ReportFormat,
  content: string,
): { sha256: string; signature: string } {
  const sha256 = sha256Hex(content);
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seed)]),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    sha256,
    signature: sign(null, reportSignBytes(day, format, sha256), key).toString('hex'),
  };
}

export interface SignedReportFile {
  day: string;
  format: ReportFormat;
  /** The file exactly as downloaded (UTF-8 text or its bytes). */
  content: string | Uint8Array;
  /** 64-byte ed25519 signature, hex. */
  signature: string;
  /** The engine's 32-byte reporting public key, hex (reports.publicKey). */
  publicKey: string;
}

/** Whether `signature` is the reporting key's signature over this day's file. Never throws. */
export function verifyReport(file: SignedReportFile): boolean {
  if (!/^[0-9a-f]{64}$/i.test(file.publicKey) || !/^[0-9a-f]{128}$/i.test(file.signature)) {
    return false;
  }
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, Buffer.from(file.publicKey, 'hex')]),
      format: 'der',
      type: 'spki',
    });
    const message = reportSignBytes(file.day, file.format, sha256Hex(file.content));
    return verify(null, message, key, Buffer.from(file.signature, 'hex'));
  } catch {
    return false;
  }
}
