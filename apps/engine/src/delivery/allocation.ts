// Who delivered what: the deterministic rule that turns metered energy into delivered energy per
// trade. A seller's deliverable energy in a zone is its meters' injection there plus what its
// own purchases into that zone delivered (a reseller passes energy on); the clearing house, the
// auction's counterparty, pools what it received across zones. Pure: no I/O.
//
// Rule (DEL-1): positions settle in rounds. A position (seller, zone) — or (clearing house) —
// is ready once every trade delivering into it is settled; ready positions settle in key order.
// When none is ready (a cycle of resellers), the smallest pending key settles with what it has.
// Within a position, deliverable energy A covers its sell trades in full when A ≥ their total
// Q; otherwise pro rata: ⌊A·q/Q⌋ each, and the Wh left over go one each to the largest
// remainders (ties: smaller trade id). No trade is delivered beyond its quantity.

export interface AllocTrade {
  id: string;
  sellerId: string;
  buyerId: string;
  sellZone: string;
  buyZone: string;
  quantityWh: bigint;
}

export interface AllocInput {
  trades: readonly AllocTrade[];
  /** Metered injection per `${accountId}|${zone}`, Wh. */
  injectionWh: ReadonlyMap<string, bigint>;
  /** Accounts whose deliverable energy is pooled across zones (the clearing house). */
  pooled: ReadonlySet<string>;
}

export interface AllocResult {
  deliveredWh: Map<string, bigint>;
  /** Trade ids in the order their deliveries must reach the chain (a seller's GT first). */
  order: string[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function positionKey(accountId: string, zone: string, pooled: ReadonlySet<string>): string {
  return pooled.has(accountId) ? accountId : `${accountId}|${zone}`;
}

/** Splits `available` Wh over trades pro rata with the largest-remainder rule (DEL-1). */
export function proRata(
  trades: readonly { id: string; quantityWh: bigint }[],
  available: bigint,
): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const total = trades.reduce((s, t) => s + t.quantityWh, 0n);
  if (available >= total) {
    for (const t of trades) out.set(t.id, t.quantityWh);
    return out;
  }
  const a = available > 0n ? available : 0n;
  let given = 0n;
  const rests: { id: string; rest: bigint }[] = [];
  for (const t of trades) {
    const base = (a * t.quantityWh) / total;
    out.set(t.id, base);
    given += base;
    rests.push({ id: t.id, rest: (a * t.quantityWh) % total });
  }
  rests.sort((x, y) => (x.rest === y.rest ? cmp(x.id, y.id) : x.rest > y.rest ? -1 : 1));
  for (let left = a - given, i = 0; left > 0n; left--, i++) {
    const r = rests[i]!;
    out.set(r.id, out.get(r.id)! + 1n);
  }
  return out;
}

export function allocate(input: AllocInput): AllocResult {
  const { pooled } = input;
  const sells = new Map<string, AllocTrade[]>();
  const buys = new Map<string, AllocTrade[]>();
  for (const t of input.trades) {
    const sk = positionKey(t.sellerId, t.sellZone, pooled);
    const bk = positionKey(t.buyerId, t.buyZone, pooled);
    sells.set(sk, [...(sells.get(sk) ?? []), t]);
    buys.set(bk, [...(buys.get(bk) ?? []), t]);
  }
  const deliveredWh = new Map<string, bigint>();
  const order: string[] = [];
  const received = new Map<string, bigint>();
  const pending = new Set(sells.keys());

  const injectionOf = (key: string): bigint => {
    if (!pooled.has(key)) return input.injectionWh.get(key) ?? 0n;
    let sum = 0n;
    for (const [k, wh] of input.injectionWh) if (k.startsWith(`${key}|`)) sum += wh;
    return sum;
  };
  const settle = (key: string) => {
    pending.delete(key);
    const mine = [...(sells.get(key) ?? [])].sort((a, b) => cmp(a.id, b.id));
    const share = proRata(mine, injectionOf(key) + (received.get(key) ?? 0n));
    for (const t of mine) {
      const d = share.get(t.id) ?? 0n;
      deliveredWh.set(t.id, d);
      order.push(t.id);
      const bk = positionKey(t.buyerId, t.buyZone, pooled);
      received.set(bk, (received.get(bk) ?? 0n) + d);
    }
  };
  while (pending.size > 0) {
    const ready = [...pending]
      .filter((k) => (buys.get(k) ?? []).every((t) => deliveredWh.has(t.id)))
      .sort(cmp);
    if (ready.length === 0) settle([...pending].sort(cmp)[0]!);
    else for (const k of ready) settle(k);
  }
  return { deliveredWh, order };
}
