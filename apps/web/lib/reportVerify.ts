// Checks a regulator report file in the browser, without taking the engine's word: the file's
// SHA-256 (WebCrypto) must be the one stated, and the ed25519 signature over
// `GTX-DAILY-REPORT-V1|<day>|<json|csv>|<sha256 hex>` must verify under the reporting key
// published separately by reports.publicKey (checked with the chain's portable verifier).
import { verifySignature } from '@gridtokenx/chain/browser';

export const REPORT_DOMAIN = 'GTX-DAILY-REPORT-V1';

export type ReportCheck =
  | { state: 'verified' }
  | { state: 'failed'; reason: 'hash' | 'signature' | 'key' }
  /** WebCrypto's digest is missing (a page served over plain HTTP to another host). */
  | { state: 'unavailable' };

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function checkReportFile(input: {
  day: string;
  format: 'json' | 'csv';
  content: string;
  sha256: string;
  signature: string;
  /** The key the report names. */
  publicKey: string;
  /** The key reports.publicKey publishes (must be the same). */
  publishedKey: string;
}): Promise<ReportCheck> {
  if (input.publicKey.toLowerCase() !== input.publishedKey.toLowerCase()) {
    return { state: 'failed', reason: 'key' };
  }
  const digest = await sha256Hex(new TextEncoder().encode(input.content));
  if (digest === null) return { state: 'unavailable' };
  if (digest !== input.sha256.toLowerCase()) return { state: 'failed', reason: 'hash' };
  const key = hexToBytes(input.publicKey);
  const signature = hexToBytes(input.signature);
  if (!key || !signature) return { state: 'failed', reason: 'signature' };
  const message = new TextEncoder().encode(
    [REPORT_DOMAIN, input.day, input.format, digest].join('|'),
  );
  let ok: boolean;
  try {
    ok = verifySignature(key, message, signature);
  } catch {
    ok = false;
  }
  return ok ? { state: 'verified' } : { state: 'failed', reason: 'signature' };
}
