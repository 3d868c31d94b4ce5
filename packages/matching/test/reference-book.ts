// The naive reference book for differential testing: one flat array of open orders, re-filtered
// and re-sorted for every fill. Slow and obviously correct by reading; it follows docs/spec
// matching.md RT rules independently of src/internal so that both can be compared event by event.
import type {
  MarketCommand,
  MarketConfig,
  MarketEvent,
  OrderStatus,
  RejectCode,
  Side,
} from '../src/index.ts';

interface RefOrder {
  id: string;
  account: string;
  zone: string;
  side: Side;
  type: 'limit' | 'market';
  tif: 'GTC' | 'IOC' | 'FOK';
  postOnly: boolean;
  price: number;
  quantity: number;
  remaining: number;
  filled: number;
  seq: number;
  status: OrderStatus;
}

interface RefLink {
  from: string;
  to: string;
  cap: number;
  wheel: number;
}

export class ReferenceBook {
  private readonly all = new Map<string, RefOrder>();
  private readonly links: RefLink[];
  private readonly halted = new Set<string>();
  private closed = false;
  private seq = 1;
  private out: MarketEvent[] = [];

  constructor(private readonly config: MarketConfig) {
    this.links = config.links.map((l) => ({
      from: l.from,
      to: l.to,
      cap: l.capacityWh,
      wheel: l.wheelingTicks,
    }));
  }

  private link(from: string, to: string): RefLink | undefined {
    return this.links.find((l) => l.from === from && l.to === to);
  }

  private open(): RefOrder[] {
    return [...this.all.values()].filter((o) => o.status === 'open');
  }

  apply(c: MarketCommand): MarketEvent[] {
    this.out = [];
    switch (c.kind) {
      case 'place':
        this.place(c);
        break;
      case 'cancel': {
        const o = this.all.get(c.orderId);
        if (!o) this.reject('cancel', c.orderId, 'MATCH_UNKNOWN_ORDER');
        else if (o.account !== c.accountId) this.reject('cancel', o.id, 'MATCH_NOT_OWNER');
        else if (o.status !== 'open') this.reject('cancel', o.id, 'MATCH_ORDER_NOT_OPEN');
        else this.cancelOrder(o, 'requested');
        break;
      }
      case 'amend':
        this.amend(c);
        break;
      case 'close':
        for (const o of this.open().sort((a, b) => a.seq - b.seq)) {
          o.status = 'expired';
          this.out.push({
            type: 'expired',
            orderId: o.id,
            accountId: o.account,
            remainingWh: o.remaining,
          });
        }
        this.closed = true;
        this.out.push({ type: 'marketClosed' });
        break;
      case 'haltZone':
        if (!this.config.zones.includes(c.zone)) this.reject('haltZone', '', 'MATCH_UNKNOWN_ZONE');
        else {
          for (const o of this.open()
            .filter((x) => x.zone === c.zone)
            .sort((a, b) => a.seq - b.seq))
            this.cancelOrder(o, 'halt');
          this.halted.add(c.zone);
          this.out.push({ type: 'zoneHalted', zone: c.zone });
        }
        break;
      case 'resumeZone':
        if (!this.config.zones.includes(c.zone))
          this.reject('resumeZone', '', 'MATCH_UNKNOWN_ZONE');
        else {
          this.halted.delete(c.zone);
          this.out.push({ type: 'zoneResumed', zone: c.zone });
        }
        break;
      case 'setLinkCapacity': {
        if (!this.config.zones.includes(c.from) || !this.config.zones.includes(c.to)) {
          this.reject('setLinkCapacity', '', 'MATCH_UNKNOWN_ZONE');
          break;
        }
        const l = this.link(c.from, c.to);
        if (!l) this.reject('setLinkCapacity', '', 'MATCH_UNKNOWN_LINK');
        else if (!Number.isSafeInteger(c.capacityWh) || c.capacityWh < 0)
          this.reject('setLinkCapacity', '', 'MATCH_INVALID_FIELD');
        else {
          l.cap = c.capacityWh;
          this.out.push({ type: 'linkCapacity', from: c.from, to: c.to, capacityWh: c.capacityWh });
          this.uncross(l);
        }
        break;
      }
    }
    return this.out;
  }

  private reject(command: MarketCommand['kind'], orderId: string, code: RejectCode): void {
    this.out.push({ type: 'rejected', command, orderId, code });
  }

  private priceCode(p: number): RejectCode | null {
    const s = this.config.spec;
    if (!Number.isSafeInteger(p)) return 'MATCH_INVALID_FIELD';
    if (p < s.priceFloorTicks || p > s.priceCapTicks) return 'MATCH_PRICE_OUT_OF_BAND';
    if (p % s.tickSizeTicks !== 0) return 'MATCH_PRICE_NOT_ON_TICK';
    return null;
  }

  private qtyCode(q: number): RejectCode | null {
    const s = this.config.spec;
    if (!Number.isSafeInteger(q)) return 'MATCH_INVALID_FIELD';
    if (q < s.minQuantityWh) return 'MATCH_QUANTITY_TOO_SMALL';
    if (q > s.maxQuantityWh) return 'MATCH_QUANTITY_TOO_LARGE';
    if (q % s.lotSizeWh !== 0) return 'MATCH_QUANTITY_NOT_ON_LOT';
    return null;
  }

  /** Resting orders a taker may reach, each with its effective price and link, best first. */
  private candidates(
    zone: string,
    side: Side,
    limit: number,
  ): { o: RefOrder; eff: number; l?: RefLink }[] {
    const list: { o: RefOrder; eff: number; l?: RefLink }[] = [];
    for (const o of this.open()) {
      if (o.side === side) continue;
      let l: RefLink | undefined;
      if (o.zone !== zone) {
        l = side === 'buy' ? this.link(o.zone, zone) : this.link(zone, o.zone);
        if (!l || l.cap <= 0) continue;
      }
      const w = l ? l.wheel : 0;
      const eff = side === 'buy' ? o.price + w : o.price - w;
      if (side === 'buy' ? eff > limit : eff < limit) continue;
      list.push(l ? { o, eff, l } : { o, eff });
    }
    return list.sort(
      (a, b) => (side === 'buy' ? a.eff - b.eff : b.eff - a.eff) || a.o.seq - b.o.seq,
    );
  }

  private place(c: Extract<MarketCommand, { kind: 'place' }>): void {
    const id = c.orderId;
    if (this.closed) return this.reject('place', id, 'MATCH_MARKET_CLOSED');
    if (!this.config.zones.includes(c.zone)) return this.reject('place', id, 'MATCH_UNKNOWN_ZONE');
    const pc = this.priceCode(c.priceTicks);
    if (pc) return this.reject('place', id, pc);
    const qc = this.qtyCode(c.quantityWh);
    if (qc) return this.reject('place', id, qc);
    if (this.halted.has(c.zone)) return this.reject('place', id, 'MATCH_ZONE_HALTED');
    if (this.all.has(id)) return this.reject('place', id, 'MATCH_DUPLICATE_ORDER_ID');
    const postOnly = c.postOnly === true;
    if (postOnly) {
      if (c.type !== 'limit' || c.tif !== 'GTC')
        return this.reject('place', id, 'MATCH_POST_ONLY_NOT_GTC_LIMIT');
      if (this.candidates(c.zone, c.side, c.priceTicks).length > 0)
        return this.reject('place', id, 'MATCH_POST_ONLY_WOULD_CROSS');
    }
    if (c.tif === 'FOK') {
      // Per source zone, liquidity of other accounts capped by that zone's link capacity.
      const byZone = new Map<string, { sum: number; cap: number }>();
      for (const x of this.candidates(c.zone, c.side, c.priceTicks)) {
        if (x.o.account === c.accountId) continue;
        const e = byZone.get(x.o.zone) ?? { sum: 0, cap: x.l ? x.l.cap : Infinity };
        e.sum += x.o.remaining;
        byZone.set(x.o.zone, e);
      }
      let total = 0;
      for (const e of byZone.values()) total += Math.min(e.sum, e.cap);
      if (total < c.quantityWh) return this.reject('place', id, 'MATCH_FOK_UNFILLABLE');
    }
    const o: RefOrder = {
      id,
      account: c.accountId,
      zone: c.zone,
      side: c.side,
      type: c.type,
      tif: c.tif,
      postOnly,
      price: c.priceTicks,
      quantity: c.quantityWh,
      remaining: c.quantityWh,
      filled: 0,
      seq: this.seq++,
      status: 'filled',
    };
    this.all.set(id, o);
    this.out.push({
      type: 'accepted',
      orderId: id,
      accountId: o.account,
      zone: o.zone,
      side: o.side,
      priceTicks: o.price,
      quantityWh: o.quantity,
    });
    this.take(o);
    if (o.remaining === 0) o.status = 'filled';
    else if (o.type === 'limit' && o.tif === 'GTC') o.status = 'open';
    else {
      o.status = 'cancelled';
      this.out.push({
        type: 'cancelled',
        orderId: o.id,
        accountId: o.account,
        remainingWh: o.remaining,
        reason: 'unfilled',
      });
    }
  }

  private take(t: RefOrder): void {
    for (;;) {
      if (t.remaining === 0) return;
      const best = this.candidates(t.zone, t.side, t.price)[0];
      if (!best) return;
      if (best.o.account === t.account) {
        this.cancelOrder(best.o, 'selfTrade');
        continue;
      }
      const q = Math.min(t.remaining, best.o.remaining, best.l ? best.l.cap : Infinity);
      this.fill(best.o, t, q, best.l);
    }
  }

  private fill(maker: RefOrder, taker: RefOrder, q: number, l: RefLink | undefined): void {
    maker.remaining -= q;
    maker.filled += q;
    taker.remaining -= q;
    taker.filled += q;
    if (l) l.cap -= q;
    this.out.push({
      type: 'fill',
      makerOrderId: maker.id,
      takerOrderId: taker.id,
      makerAccountId: maker.account,
      takerAccountId: taker.account,
      makerZone: maker.zone,
      takerZone: taker.zone,
      takerSide: taker.side,
      priceTicks: maker.price,
      quantityWh: q,
      wheelingTicks: l ? l.wheel : 0,
    });
    if (maker.remaining === 0) maker.status = 'filled';
  }

  private cancelOrder(o: RefOrder, reason: 'requested' | 'selfTrade' | 'halt'): void {
    o.status = 'cancelled';
    this.out.push({
      type: 'cancelled',
      orderId: o.id,
      accountId: o.account,
      remainingWh: o.remaining,
      reason,
    });
  }

  private amend(c: Extract<MarketCommand, { kind: 'amend' }>): void {
    const o = this.all.get(c.orderId);
    if (!o) return this.reject('amend', c.orderId, 'MATCH_UNKNOWN_ORDER');
    if (o.account !== c.accountId) return this.reject('amend', o.id, 'MATCH_NOT_OWNER');
    if (o.status !== 'open') return this.reject('amend', o.id, 'MATCH_ORDER_NOT_OPEN');
    if (c.priceTicks !== undefined) {
      const code = this.priceCode(c.priceTicks);
      if (code) return this.reject('amend', o.id, code);
    }
    if (c.quantityWh !== undefined) {
      const code = this.qtyCode(c.quantityWh);
      if (code) return this.reject('amend', o.id, code);
    }
    const price = c.priceTicks ?? o.price;
    const rem = c.quantityWh ?? o.remaining;
    if (price === o.price && rem === o.remaining)
      return this.reject('amend', o.id, 'MATCH_AMEND_NO_CHANGE');
    if (price === o.price && rem < o.remaining) {
      o.quantity -= o.remaining - rem;
      o.remaining = rem;
      this.out.push({
        type: 'amended',
        orderId: o.id,
        accountId: o.account,
        priceTicks: price,
        remainingWh: rem,
        priorityKept: true,
      });
      return;
    }
    if (o.postOnly && price !== o.price && this.candidates(o.zone, o.side, price).length > 0)
      return this.reject('amend', o.id, 'MATCH_POST_ONLY_WOULD_CROSS');
    o.price = price;
    o.quantity += rem - o.remaining;
    o.remaining = rem;
    o.seq = this.seq++;
    o.status = 'filled';
    this.out.push({
      type: 'amended',
      orderId: o.id,
      accountId: o.account,
      priceTicks: price,
      remainingWh: rem,
      priorityKept: false,
    });
    this.take(o);
    o.status = o.remaining === 0 ? 'filled' : 'open';
  }

  private uncross(l: RefLink): void {
    while (l.cap > 0) {
      const bids = this.open()
        .filter((o) => o.side === 'buy' && o.zone === l.to)
        .sort((a, b) => b.price - a.price || a.seq - b.seq);
      const asks = this.open()
        .filter((o) => o.side === 'sell' && o.zone === l.from)
        .sort((a, b) => a.price - b.price || a.seq - b.seq);
      const bid = bids[0];
      const ask = asks[0];
      if (!bid || !ask || bid.price < ask.price + l.wheel) return;
      const [maker, taker] = bid.seq < ask.seq ? [bid, ask] : [ask, bid];
      if (maker.account === taker.account) {
        this.cancelOrder(maker, 'selfTrade');
        continue;
      }
      this.fill(maker, taker, Math.min(bid.remaining, ask.remaining, l.cap), l);
      if (taker.remaining === 0) taker.status = 'filled';
    }
  }

  /** Open orders of a zone in priority order, in the shape of `ContinuousMarket.book`. */
  book(zone: string): { bids: [string, number][]; asks: [string, number][] } {
    const open = this.open().filter((o) => o.zone === zone);
    return {
      bids: open
        .filter((o) => o.side === 'buy')
        .sort((a, b) => b.price - a.price || a.seq - b.seq)
        .map((o) => [o.id, o.remaining]),
      asks: open
        .filter((o) => o.side === 'sell')
        .sort((a, b) => a.price - b.price || a.seq - b.seq)
        .map((o) => [o.id, o.remaining]),
    };
  }

  linkCapacity(from: string, to: string): number | undefined {
    return this.link(from, to)?.cap;
  }
}
