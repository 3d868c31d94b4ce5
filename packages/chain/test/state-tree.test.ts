// STATE-2: the incrementally maintained state root (previews over contiguous per-level hashes,
// applied or discarded) always equals the root computed from scratch over the same leaves,
// including buckets emptied again and the empty tree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { StateTree, stateRootFromScratch } from '../src/internal/state/tree.ts';

const leaf = fc.uint8Array({ minLength: 32, maxLength: 32 });
// Few distinct keys, so deletions hit existing keys and buckets fill and empty again.
const key = fc.integer({ min: 0, max: 300 }).map((i) => `k:${i}`);
const change = fc.tuple(key, fc.option(leaf, { freq: 3 }));
const block = fc.record({
  changes: fc.array(change, { maxLength: 40 }),
  applied: fc.boolean(),
});

describe('state tree (STATE-2)', () => {
  it('matches a from-scratch root after random applied and discarded change sets', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 20 }), (blocks) => {
        const tree = new StateTree();
        const leaves = new Map<string, Uint8Array>();
        expect(toHex(tree.root())).toBe(toHex(stateRootFromScratch(leaves)));
        for (const b of blocks) {
          const changes = new Map<string, Uint8Array | null>(b.changes);
          const delta = tree.preview(changes);
          const expected = new Map(leaves);
          for (const [k, v] of changes) {
            if (v === null) expected.delete(k);
            else expected.set(k, v);
          }
          expect(toHex(delta.root)).toBe(toHex(stateRootFromScratch(expected)));
          if (!b.applied) continue;
          tree.apply(delta);
          for (const [k, v] of expected) leaves.set(k, v);
          for (const k of [...leaves.keys()]) if (!expected.has(k)) leaves.delete(k);
          expect(toHex(tree.root())).toBe(toHex(stateRootFromScratch(leaves)));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a deleted last key gives back the empty root', () => {
    const tree = new StateTree();
    const empty = toHex(tree.root());
    tree.apply(tree.preview(new Map([['a:1', new Uint8Array(32).fill(1)]])));
    expect(toHex(tree.root())).not.toBe(empty);
    tree.apply(tree.preview(new Map([['a:1', null]])));
    expect(toHex(tree.root())).toBe(empty);
  });
});
