// Meter keys and the canonical reading a meter signs. Each meter holds its own ed25519 key; it
// signs bytes that name the chain, the meter and the interval, so a signature can never be
// replayed for another meter, interval or chain. node:crypto does the curve work (fast verify).
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** DER prefixes that wrap a raw 32-byte ed25519 key as SPKI (public) or PKCS#8 (private). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The domain tag of a reading's sign bytes (version 1). */
export const READING_DOMAIN = 'GTX-METER-READING-V1';

export interface MeterKeyPair {
  /** 32-byte public key, hex. */
  publicKeyHex: string;
  /** 32-byte private seed, hex: given to the owner once to provision the meter, never stored. */
  secretKeyHex: string;
}

export interface ReadingFields {
  chainId: string;
  meterId: string;
  intervalStartMs: number;
  injectedWh: number | bigint;
  withdrawnWh: number | bigint;
}

export function generateMeterKey(): MeterKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x;
  const priv = privateKey.export({ format: 'jwk' }).d;
  if (!pub || !priv) throw new Error('ed25519 key export failed');
  return {
    publicKeyHex: Buffer.from(pub, 'base64url').toString('hex'),
    secretKeyHex: Buffer.from(priv, 'base64url').toString('hex'),
  };
}

/**
 * The bytes a meter signs: UTF-8 of the domain tag, chain id, meter id, interval start (epoch
 * ms), injected Wh and withdrawn Wh, joined by `|` — e.g.
 * `GTX-METER-READING-V1|gridtokenx-1a2b3c4d|MTR-0A1B2C3D4E|1764554400000|1250|0`.
 */
export function readingSignBytes(r: ReadingFields): Buffer {
  return Buffer.from(
    [
      READING_DOMAIN,
      r.chainId,
      r.meterId,
      String(r.intervalStartMs),
      String(r.injectedWh),
      String(r.withdrawnWh),
    ].join('|'),
    'utf8',
  );
}

/** Signs a reading with a meter's private seed (hex); returns the 64-byte signature, hex. */
export function signReading(secretKeyHex: string, r: ReadingFields): string {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(secretKeyHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  return sign(null, readingSignBytes(r), key).toString('hex');
}

/** Whether `signatureHex` is the meter's signature over the reading. */
export function verifyReading(
  publicKey: Uint8Array,
  r: ReadingFields,
  signatureHex: string,
): boolean {
  if (publicKey.length !== 32 || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  const key = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey)]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, readingSignBytes(r), key, Buffer.from(signatureHex, 'hex'));
}
