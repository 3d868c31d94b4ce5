// SHA-256 over a canonical string. @noble/hashes is pure JavaScript, so the package stays free of
// node:crypto and runs unchanged in a browser; the hash is only computed on demand, off the hot path.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
