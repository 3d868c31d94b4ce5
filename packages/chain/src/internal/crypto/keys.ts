// ed25519 keys with @noble/curves (runs in Node and in the browser). An account's address is the
// lowercase hex of its 32-byte public key, so a signature can be checked against the address alone.
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../bytes.ts';

export interface KeyPair {
  /** The 32-byte ed25519 seed. Keep it secret. */
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Hex of the public key: the account's address on chain. */
  readonly address: string;
}

/** Something that signs on behalf of one address. */
export interface Signer {
  readonly address: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export type RandomBytes = (length: number) => Uint8Array;

const defaultRandom: RandomBytes = (length) => {
  const out = new Uint8Array(length);
  globalThis.crypto.getRandomValues(out);
  return out;
};

export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new TypeError('an ed25519 seed is 32 bytes');
  const secretKey = Uint8Array.from(seed);
  const publicKey = ed25519.getPublicKey(secretKey);
  return { secretKey, publicKey, address: toHex(publicKey) };
}

/** A fresh key pair; randomness is injectable (tests pass a seeded source). */
export function generateKeyPair(random: RandomBytes = defaultRandom): KeyPair {
  return keyPairFromSeed(random(32));
}

/** Portable signer (pure JS, about 2,000 signatures/s here). */
export function createPortableSigner(secretKey: Uint8Array): Signer {
  const pair = keyPairFromSeed(secretKey);
  return {
    address: pair.address,
    publicKey: pair.publicKey,
    sign: (message) => ed25519.sign(message, pair.secretKey),
  };
}
