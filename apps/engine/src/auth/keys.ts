// Account chain keys: each account gets an ed25519 key pair; the private seed is stored encrypted
// with AES-256-GCM under the engine's key-encryption key (from the environment), bound to the
// account id as associated data so a ciphertext cannot be moved to another account.
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface AccountKey {
  /** 32-byte ed25519 public key. */
  publicKey: Uint8Array<ArrayBuffer>;
  /** 32-byte ed25519 private seed. */
  secretKey: Uint8Array<ArrayBuffer>;
}

export function generateAccountKey(): AccountKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x;
  const priv = privateKey.export({ format: 'jwk' }).d;
  if (!pub || !priv) throw new Error('ed25519 key export failed');
  return {
    publicKey: new Uint8Array(Buffer.from(pub, 'base64url')),
    secretKey: new Uint8Array(Buffer.from(priv, 'base64url')),
  };
}

export class KeyVault {
  constructor(private readonly kek: Buffer) {
    if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  }

  seal(accountId: string, secretKey: Uint8Array): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(accountId));
    const ct = Buffer.concat([cipher.update(secretKey), cipher.final()]);
    return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), ct]));
  }

  open(accountId: string, sealed: Uint8Array): Uint8Array {
    const buf = Buffer.from(sealed);
    const iv = buf.subarray(0, IV_BYTES);
    const tag = buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const ct = buf.subarray(IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.kek, iv);
    decipher.setAAD(Buffer.from(accountId));
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(ct), decipher.final()]));
  }
}
