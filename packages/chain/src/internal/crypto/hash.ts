// SHA-256 with domain separation. One portable implementation (@noble/hashes) so block, tx and
// proof hashes are computed by the same code in the node and in the browser.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../bytes.ts';

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** SHA-256 over several parts without concatenating them first. */
export function sha256Parts(...parts: readonly Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
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
