// How a REC request is backed: the meter's minted injection, interval by interval, less what
// other certificates already claim, is cut into whole MWh. Pure, so the one-Wh-one-REC rule and
// the chain's limit on backing entries per certificate are tested without a database.

/** 1 REC = 1 MWh. */
export const WH_PER_REC = 1_000_000n;
/** The chain lists at most this many metered intervals behind one REC (REC_ISSUE backing). */
export const MAX_BACKING_INTERVALS = 256;

export interface FreeGeneration {
  intervalStartMs: number;
  /** Minted injection of the interval not yet backing any certificate, Wh. */
  freeWh: bigint;
}

export interface BackingPart {
  intervalStartMs: number;
  energyWh: bigint;
}

export type Allocation =
  | { ok: true; recs: BackingPart[][] }
  | { ok: false; reason: 'insufficient'; availableWh: bigint }
  | { ok: false; reason: 'spread'; recIndex: number };

/**
 * Cuts `count` certificates of 1 MWh each from `free` (in interval order, oldest first); an
 * interval may be split between two consecutive certificates. Refuses when the free generation
 * is short, or when one certificate would need more than MAX_BACKING_INTERVALS intervals.
 */
export function allocateBacking(free: readonly FreeGeneration[], count: number): Allocation {
  const sorted = [...free]
    .filter((f) => f.freeWh > 0n)
    .sort((a, b) => a.intervalStartMs - b.intervalStartMs);
  const availableWh = sorted.reduce((s, f) => s + f.freeWh, 0n);
  if (availableWh < WH_PER_REC * BigInt(count)) {
    return { ok: false, reason: 'insufficient', availableWh };
  }
  const recs: BackingPart[][] = [];
  let i = 0;
  let leftInInterval = sorted[0]?.freeWh ?? 0n;
  for (let r = 0; r < count; r++) {
    const parts: BackingPart[] = [];
    let need = WH_PER_REC;
    while (need > 0n) {
      const interval = sorted[i];
      if (!interval) throw new Error('backing allocation ran past the free generation');
      const take = leftInInterval < need ? leftInInterval : need;
      parts.push({ intervalStartMs: interval.intervalStartMs, energyWh: take });
      need -= take;
      leftInInterval -= take;
      if (leftInInterval === 0n) {
        i += 1;
        leftInInterval = sorted[i]?.freeWh ?? 0n;
      }
    }
    if (parts.length > MAX_BACKING_INTERVALS) return { ok: false, reason: 'spread', recIndex: r };
    recs.push(parts);
  }
  return { ok: true, recs };
}
