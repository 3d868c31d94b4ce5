// SHA-256 with domain separation. In Node it runs on OpenSSL (2–3× faster on transaction-sized
// inputs); in a browser on @noble/hashes. Both compute the same function, so every hash is the
// same wherever it is computed; the lookup avoids a static node:crypto import for bundlers.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../bytes.ts';

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
}
type CreateHash = (algorithm: 'sha256') => NodeHash;

/** node:crypto's one-shot `hash` (Node ≥ 20.12): about twice as fast as createHash on small inputs. */
type OneShotHash = (algorithm: 'sha256', data: Uint8Array, outputEncoding: 'buffer') => Uint8Array;

const nodeCrypto = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as
    { createHash?: CreateHash; hash?: OneShotHash } | undefined;
})();
const nodeCreateHash = nodeCrypto?.createHash;
const nodeHash = nodeCrypto?.hash;

function toU8(digest: Uint8Array): Uint8Array {
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

export const sha256: (data: Uint8Array) => Uint8Array =
  nodeHash !== undefined
    ? (data) => toU8(nodeHash('sha256', data, 'buffer'))
    : nodeCreateHash === undefined
      ? (data) => nobleSha256(data)
      : (data) => toU8(nodeCreateHash('sha256').update(data).digest());

/** SHA-256 over several parts (in Node joined, then hashed one-shot: faster on small parts). */
export const sha256Parts: (...parts: readonly Uint8Array[]) => Uint8Array =
  nodeHash !== undefined
    ? (...parts) => toU8(nodeHash('sha256', concatBytes(...parts), 'buffer'))
    : nodeCreateHash === undefined
      ? (...parts) => {
          const h = nobleSha256.create();
          for (const p of parts) h.update(p);
          return h.digest();
        }
      : (...parts) => {
          const h = nodeCreateHash('sha256');
          for (const p of parts) h.update(p);
          return toU8(h.digest());
        };

/** The portable implementation, for the test that holds both to the same digests. */
export function sha256Portable(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** Domain tags, length-prefixed when hashed so no tag is a prefix of another's preimage. */
export const DOMAIN = {
  tx: 'GTX1/tx',
  pow: 'GTX1/pow',
  block: 'GTX1/block',
  vote: 'GTX1/vote',
  proposal: 'GTX1/proposal',
  grid: 'GTX1/grid',
  commit: 'GTX1/commit',
  evidence: 'GTX1/evidence',
  genesis: 'GTX1/genesis',
} as const;

export type Domain = keyof typeof DOMAIN;

const tagCache = new Map<string, Uint8Array>();

/** The canonical prefix for a domain and chain id: u16 len ‖ tag ‖ u16 len ‖ chainId. */
export function domainPrefix(domain: Domain, chainId: string): Uint8Array {
  const key = `${domain}\u0000${chainId}`;
  let cached = tagCache.get(key);
  if (cached === undefined) {
    const tag = utf8(DOMAIN[domain]);
    const id = utf8(chainId);
    cached = new Uint8Array(4 + tag.length + id.length);
    const view = new DataView(cached.buffer);
    view.setUint16(0, tag.length);
    cached.set(tag, 2);
    view.setUint16(2 + tag.length, id.length);
    cached.set(id, 4 + tag.length);
    tagCache.set(key, cached);
  }
  return cached;
}
