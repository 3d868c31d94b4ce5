// Signatures this process made (the engine's follower skips OpenSSL for them): a hit needs the
// exact key, message and signature bytes a wrapped signer produced; anything else — another
// message, another key, a tampered signature, a forgotten one — goes to the verifier, whose
// answer stands.
import { describe, expect, it } from 'vitest';
import { OwnSignatures } from '../src/internal/crypto/own-signatures.ts';
import { createFastSigner } from '../src/internal/crypto/node-ed25519.ts';
import { EGAT, MEA } from './support/fixtures.ts';
import { countingVerifier } from './support/wait.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('own signatures', () => {
  it('answers for what its signers signed, and asks the verifier about everything else', () => {
    const own = new OwnSignatures(2);
    const c = countingVerifier();
    const verify = own.verifier(c.verify);
    const egat = own.wrap(createFastSigner(EGAT.secretKey));
    const mea = createFastSigner(MEA.secretKey);

    const message = bytes('settle trade 1');
    const signature = egat.sign(message);
    expect(signature).toEqual(createFastSigner(EGAT.secretKey).sign(message));
    expect(verify(EGAT.publicKey, message, signature)).toBe(true);
    expect(c.calls()).toBe(0);

    // Same signature, another message or another key: the verifier answers (false).
    expect(verify(EGAT.publicKey, bytes('settle trade 2'), signature)).toBe(false);
    expect(verify(MEA.publicKey, message, signature)).toBe(false);
    // A tampered signature is not in the memory.
    const tampered = signature.slice();
    tampered[0] = (tampered[0]! + 1) % 256;
    expect(verify(EGAT.publicKey, message, tampered)).toBe(false);
    // A signature from a signer that was not wrapped is verified.
    const other = mea.sign(message);
    expect(verify(MEA.publicKey, message, other)).toBe(true);
    expect(c.calls()).toBe(4);

    // Changing the caller's message buffer afterwards does not change what was remembered.
    const m2 = bytes('settle trade 3');
    const s2 = egat.sign(m2);
    m2[0] = 0;
    expect(verify(EGAT.publicKey, bytes('settle trade 3'), s2)).toBe(true);
    expect(c.calls()).toBe(4);

    // Capacity 2: the oldest is forgotten and checked by the verifier again (still true).
    egat.sign(bytes('settle trade 4'));
    expect(own.size).toBe(2);
    expect(verify(EGAT.publicKey, message, signature)).toBe(true);
    expect(c.calls()).toBe(5);
  });
});
