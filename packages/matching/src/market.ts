// The real-time continuous market of one delivery interval: a price-time-priority book per zone,
// with cross-zone matching over links (effective price = maker price ± wheeling). Commands return
// their events synchronously; state depends only on the command sequence, so replay is recovery.
import { MatchingError } from './errors.ts';
import type { RejectCode } from './errors.ts';
import { sha256Hex } from './internal/hash.ts';
import {
  BUY,
  CANCELLED,
  EXPIRED,
  FILLED,
  OPEN,
  OrderNode,
  SELL,
  SideBook,
} from './internal/levels.ts';
import type { PriceLevel, SideCode, StatusCode } from './internal/levels.ts';
import { checkMarketConfig } from './spec.ts';
import type {
  AmendCommand,
  BookEntry,
  CancelCommand,
  CancelReason,
  Depth,
  DepthLevel,
  LinkConfig,
  MarketCommand,
  MarketConfig,
  MarketEvent,
  MarketSnapshot,
  MarketSpec,
  OrderStatus,
  OrderView,
  PlaceCommand,
  SetLinkCapacityCommand,
  ZoneBook,
} from './types.ts';

const STATUS_NAMES: readonly OrderStatus[] = ['open', 'filled', 'cancelled', 'expired'];
const STATUS_CODES: Readonly<Record<OrderStatus, StatusCode>> = {
  open: OPEN,
  filled: FILLED,
  cancelled: CANCELLED,
  expired: EXPIRED,
};

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export class ContinuousMarket {
  private readonly zoneNames: readonly string[];
  private readonly zoneIndex = new Map<string, number>();
  private readonly spec: MarketSpec;
  private readonly linkFrom: number[] = [];
  private readonly linkTo: number[] = [];
  private readonly linkCap: number[] = [];
  private readonly linkWheel: number[] = [];
  /** Link index for `from * zoneCount + to`, or -1. */
  private readonly linkAt: Int32Array;
  private readonly bids: SideBook[] = [];
  private readonly asks: SideBook[] = [];
  /** For a taker zone: the zones whose resting orders it may reach (itself first). */
  private readonly buySources: number[][] = [];
  private readonly sellTargets: number[][] = [];
  private readonly orders = new Map<string, OrderNode>();
  private readonly halted: boolean[];
  private closed = false;
  private nextSeq = 1;
  private out: MarketEvent[] = [];

  constructor(config: MarketConfig) {
    const check = checkMarketConfig(config);
    if (!check.ok)
      throw new MatchingError('MATCH_INVALID_CONFIG', `${check.field} ${check.message}`);
    this.zoneNames = [...config.zones];
    this.spec = { ...config.spec };
    const z = this.zoneNames.length;
    this.zoneNames.forEach((name, i) => this.zoneIndex.set(name, i));
    this.linkAt = new Int32Array(z * z).fill(-1);
    for (const link of config.links) {
      const from = this.zoneIndex.get(link.from)!;
      const to = this.zoneIndex.get(link.to)!;
      this.linkAt[from * z + to] = this.linkFrom.length;
      this.linkFrom.push(from);
      this.linkTo.push(to);
      this.linkCap.push(link.capacityWh);
      this.linkWheel.push(link.wheelingTicks);
    }
    this.halted = new Array<boolean>(z).fill(false);
    for (let i = 0; i < z; i++) {
      this.bids.push(new SideBook(true));
      this.asks.push(new SideBook(false));
      const sources = [i];
      const targets = [i];
      for (let j = 0; j < z; j++) {
        if (j === i) continue;
        if (this.linkAt[j * z + i]! >= 0) sources.push(j);
        if (this.linkAt[i * z + j]! >= 0) targets.push(j);
      }
      this.buySources.push(sources);
      this.sellTargets.push(targets);
    }
  }

  /** Applies one command and returns the events it caused, in order. */
  apply(command: MarketCommand): MarketEvent[] {
    const out: MarketEvent[] = [];
    this.out = out;
    switch (command.kind) {
      case 'place':
        this.place(command);
        break;
      case 'cancel':
        this.cancel(command);
        break;
      case 'amend':
        this.amend(command);
        break;
      case 'close':
        this.close();
        break;
      case 'haltZone':
        this.haltZone(command.zone);
        break;
      case 'resumeZone':
        this.resumeZone(command.zone);
        break;
      case 'setLinkCapacity':
        this.setLinkCapacity(command);
        break;
      default:
        out.push({ type: 'rejected', command: 'place', orderId: '', code: 'MATCH_INVALID_FIELD' });
    }
    return out;
  }

  // ---------------------------------------------------------------- commands

  private reject(command: MarketCommand['kind'], orderId: string, code: RejectCode): void {
    this.out.push({ type: 'rejected', command, orderId, code });
  }

  private place(c: PlaceCommand): void {
    const id = typeof c.orderId === 'string' ? c.orderId : '';
    if (id.length === 0 || typeof c.accountId !== 'string' || c.accountId.length === 0)
      return this.reject('place', id, 'MATCH_INVALID_FIELD');
    if (this.closed) return this.reject('place', id, 'MATCH_MARKET_CLOSED');
    const zone = this.zoneIndex.get(c.zone);
    if (zone === undefined) return this.reject('place', id, 'MATCH_UNKNOWN_ZONE');
    if (c.side !== 'buy' && c.side !== 'sell')
      return this.reject('place', id, 'MATCH_INVALID_FIELD');
    if (c.type !== 'limit' && c.type !== 'market')
      return this.reject('place', id, 'MATCH_INVALID_FIELD');
    if (c.tif !== 'GTC' && c.tif !== 'IOC' && c.tif !== 'FOK')
      return this.reject('place', id, 'MATCH_INVALID_FIELD');
    const postOnly = c.postOnly === true;
    if (c.postOnly !== undefined && typeof c.postOnly !== 'boolean')
      return this.reject('place', id, 'MATCH_INVALID_FIELD');
    const priceCode = this.checkPrice(c.priceTicks);
    if (priceCode !== null) return this.reject('place', id, priceCode);
    const quantityCode = this.checkQuantity(c.quantityWh);
    if (quantityCode !== null) return this.reject('place', id, quantityCode);
    if (this.halted[zone]) return this.reject('place', id, 'MATCH_ZONE_HALTED');
    if (this.orders.has(id)) return this.reject('place', id, 'MATCH_DUPLICATE_ORDER_ID');
    const side: SideCode = c.side === 'buy' ? BUY : SELL;
    if (postOnly) {
      if (c.type !== 'limit' || c.tif !== 'GTC')
        return this.reject('place', id, 'MATCH_POST_ONLY_NOT_GTC_LIMIT');
      if (this.wouldCross(zone, side, c.priceTicks))
        return this.reject('place', id, 'MATCH_POST_ONLY_WOULD_CROSS');
    }
    if (c.tif === 'FOK' && !this.canFill(zone, side, c.priceTicks, c.quantityWh, c.accountId))
      return this.reject('place', id, 'MATCH_FOK_UNFILLABLE');

    const order = new OrderNode(
      id,
      c.accountId,
      zone,
      side,
      c.type,
      c.tif,
      postOnly,
      c.priceTicks,
      c.quantityWh,
      c.quantityWh,
      this.nextSeq++,
    );
    this.orders.set(id, order);
    this.out.push({
      type: 'accepted',
      orderId: id,
      accountId: order.account,
      zone: c.zone,
      side: c.side,
      priceTicks: order.price,
      quantityWh: order.quantity,
    });
    this.match(order);
    this.settleTaker(order);
  }

  /** After matching: rest a GTC limit remainder, cancel any other remainder. */
  private settleTaker(order: OrderNode): void {
    if (order.remaining === 0) {
      order.status = FILLED;
      return;
    }
    if (order.type === 'limit' && order.tif === 'GTC') {
      (order.side === BUY ? this.bids : this.asks)[order.zone]!.add(order);
      return;
    }
    this.finish(order, CANCELLED);
    this.out.push({
      type: 'cancelled',
      orderId: order.id,
      accountId: order.account,
      remainingWh: order.remaining,
      reason: 'unfilled',
    });
  }

  private cancel(c: CancelCommand): void {
    const order = this.orders.get(c.orderId);
    if (order === undefined) return this.reject('cancel', String(c.orderId), 'MATCH_UNKNOWN_ORDER');
    if (order.account !== c.accountId) return this.reject('cancel', order.id, 'MATCH_NOT_OWNER');
    if (order.status !== OPEN) return this.reject('cancel', order.id, 'MATCH_ORDER_NOT_OPEN');
    this.cancelResting(order, 'requested');
  }

  private amend(c: AmendCommand): void {
    const order = this.orders.get(c.orderId);
    if (order === undefined) return this.reject('amend', String(c.orderId), 'MATCH_UNKNOWN_ORDER');
    if (order.account !== c.accountId) return this.reject('amend', order.id, 'MATCH_NOT_OWNER');
    if (order.status !== OPEN) return this.reject('amend', order.id, 'MATCH_ORDER_NOT_OPEN');
    const newPrice = c.priceTicks ?? order.price;
    const newRemaining = c.quantityWh ?? order.remaining;
    if (c.priceTicks !== undefined) {
      const code = this.checkPrice(c.priceTicks);
      if (code !== null) return this.reject('amend', order.id, code);
    }
    if (c.quantityWh !== undefined) {
      const code = this.checkQuantity(c.quantityWh);
      if (code !== null) return this.reject('amend', order.id, code);
    }
    if (newPrice === order.price && newRemaining === order.remaining)
      return this.reject('amend', order.id, 'MATCH_AMEND_NO_CHANGE');
    const book = (order.side === BUY ? this.bids : this.asks)[order.zone]!;
    if (newPrice === order.price && newRemaining < order.remaining) {
      // Reducing size keeps the place in the queue.
      const level = order.level!;
      level.totalWh -= order.remaining - newRemaining;
      order.quantity -= order.remaining - newRemaining;
      order.remaining = newRemaining;
      this.out.push({
        type: 'amended',
        orderId: order.id,
        accountId: order.account,
        priceTicks: order.price,
        remainingWh: newRemaining,
        priorityKept: true,
      });
      return;
    }
    // The order's own side is not consulted, so it may stay in place while we check.
    if (
      order.postOnly &&
      newPrice !== order.price &&
      this.wouldCross(order.zone, order.side, newPrice)
    )
      return this.reject('amend', order.id, 'MATCH_POST_ONLY_WOULD_CROSS');
    book.remove(order);
    order.price = newPrice;
    order.quantity += newRemaining - order.remaining;
    order.remaining = newRemaining;
    order.seq = this.nextSeq++;
    this.out.push({
      type: 'amended',
      orderId: order.id,
      accountId: order.account,
      priceTicks: newPrice,
      remainingWh: newRemaining,
      priorityKept: false,
    });
    this.match(order);
    if (order.remaining === 0) order.status = FILLED;
    else book.add(order);
  }

  private close(): void {
    for (const order of this.openOrdersBySeq(-1)) {
      this.removeFromBook(order);
      this.finish(order, EXPIRED);
      this.out.push({
        type: 'expired',
        orderId: order.id,
        accountId: order.account,
        remainingWh: order.remaining,
      });
    }
    this.closed = true;
    this.out.push({ type: 'marketClosed' });
  }

  private haltZone(zoneName: string): void {
    const zone = this.zoneIndex.get(zoneName);
    if (zone === undefined) return this.reject('haltZone', '', 'MATCH_UNKNOWN_ZONE');
    for (const order of this.openOrdersBySeq(zone)) this.cancelResting(order, 'halt');
    this.halted[zone] = true;
    this.out.push({ type: 'zoneHalted', zone: zoneName });
  }

  private resumeZone(zoneName: string): void {
    const zone = this.zoneIndex.get(zoneName);
    if (zone === undefined) return this.reject('resumeZone', '', 'MATCH_UNKNOWN_ZONE');
    this.halted[zone] = false;
    this.out.push({ type: 'zoneResumed', zone: zoneName });
  }

  private setLinkCapacity(c: SetLinkCapacityCommand): void {
    const from = this.zoneIndex.get(c.from);
    const to = this.zoneIndex.get(c.to);
    if (from === undefined || to === undefined)
      return this.reject('setLinkCapacity', '', 'MATCH_UNKNOWN_ZONE');
    const link = from === to ? -1 : this.linkAt[from * this.zoneNames.length + to]!;
    if (link < 0) return this.reject('setLinkCapacity', '', 'MATCH_UNKNOWN_LINK');
    if (!isInt(c.capacityWh) || c.capacityWh < 0)
      return this.reject('setLinkCapacity', '', 'MATCH_INVALID_FIELD');
    this.linkCap[link] = c.capacityWh;
    this.out.push({ type: 'linkCapacity', from: c.from, to: c.to, capacityWh: c.capacityWh });
    this.uncrossLink(link);
  }

  // ---------------------------------------------------------------- matching

  /**
   * Matches `taker` (not in the book) against the best effective resting price across the zones
   * it may reach; equal effective prices go to the earlier order (lower seq).
   */
  private match(taker: OrderNode): void {
    const isBuy = taker.side === BUY;
    const zoneCount = this.zoneNames.length;
    const reach = isBuy ? this.buySources[taker.zone]! : this.sellTargets[taker.zone]!;
    const books = isBuy ? this.asks : this.bids;
    const limit = taker.price;
    while (taker.remaining > 0) {
      let best: PriceLevel | undefined;
      let bestEff = 0;
      let bestLink = -1;
      let bestZone = -1;
      for (let k = 0; k < reach.length; k++) {
        const zone = reach[k]!;
        let link = -1;
        let wheel = 0;
        if (zone !== taker.zone) {
          link = isBuy
            ? this.linkAt[zone * zoneCount + taker.zone]!
            : this.linkAt[taker.zone * zoneCount + zone]!;
          if (this.linkCap[link]! <= 0) continue;
          wheel = this.linkWheel[link]!;
        }
        const level = books[zone]!.best();
        if (level === undefined) continue;
        const eff = isBuy ? level.price + wheel : level.price - wheel;
        if (isBuy ? eff > limit : eff < limit) continue;
        if (
          best === undefined ||
          (isBuy ? eff < bestEff : eff > bestEff) ||
          (eff === bestEff && level.head!.seq < best.head!.seq)
        ) {
          best = level;
          bestEff = eff;
          bestLink = link;
          bestZone = zone;
        }
      }
      if (best === undefined) return;
      const maker = best.head!;
      if (maker.account === taker.account) {
        this.cancelResting(maker, 'selfTrade');
        continue;
      }
      let qty = taker.remaining < maker.remaining ? taker.remaining : maker.remaining;
      if (bestLink >= 0 && this.linkCap[bestLink]! < qty) qty = this.linkCap[bestLink]!;
      this.trade(maker, taker, qty, bestLink, books[bestZone]!);
    }
  }

  private trade(
    maker: OrderNode,
    taker: OrderNode,
    qty: number,
    link: number,
    makerBook: SideBook,
  ): void {
    maker.remaining -= qty;
    maker.filled += qty;
    maker.level!.totalWh -= qty;
    taker.remaining -= qty;
    taker.filled += qty;
    let wheel = 0;
    if (link >= 0) {
      this.linkCap[link] = this.linkCap[link]! - qty;
      wheel = this.linkWheel[link]!;
    }
    this.out.push({
      type: 'fill',
      makerOrderId: maker.id,
      takerOrderId: taker.id,
      makerAccountId: maker.account,
      takerAccountId: taker.account,
      makerZone: this.zoneNames[maker.zone]!,
      takerZone: this.zoneNames[taker.zone]!,
      takerSide: taker.side === BUY ? 'buy' : 'sell',
      priceTicks: maker.price,
      quantityWh: qty,
      wheelingTicks: wheel,
    });
    if (maker.remaining === 0) {
      makerBook.remove(maker);
      maker.status = FILLED;
    }
  }

  /** After a capacity change, trades resting orders that now cross over the link; the older is maker. */
  private uncrossLink(link: number): void {
    const from = this.linkFrom[link]!;
    const to = this.linkTo[link]!;
    const wheel = this.linkWheel[link]!;
    const askBook = this.asks[from]!;
    const bidBook = this.bids[to]!;
    while (this.linkCap[link]! > 0) {
      const bidLevel = bidBook.best();
      const askLevel = askBook.best();
      if (bidLevel === undefined || askLevel === undefined) return;
      if (bidLevel.price < askLevel.price + wheel) return;
      const bid = bidLevel.head!;
      const ask = askLevel.head!;
      const bidIsMaker = bid.seq < ask.seq;
      const maker = bidIsMaker ? bid : ask;
      const taker = bidIsMaker ? ask : bid;
      if (maker.account === taker.account) {
        this.cancelResting(maker, 'selfTrade');
        continue;
      }
      let qty = bid.remaining < ask.remaining ? bid.remaining : ask.remaining;
      if (this.linkCap[link]! < qty) qty = this.linkCap[link]!;
      // The taker is resting too: keep its level total in step before the maker side is settled.
      taker.level!.totalWh -= qty;
      this.trade(maker, taker, qty, link, bidIsMaker ? bidBook : askBook);
      if (taker.remaining === 0) {
        (bidIsMaker ? askBook : bidBook).remove(taker);
        taker.status = FILLED;
      }
    }
  }

  private wouldCross(zone: number, side: SideCode, price: number): boolean {
    const isBuy = side === BUY;
    const zoneCount = this.zoneNames.length;
    const reach = isBuy ? this.buySources[zone]! : this.sellTargets[zone]!;
    for (const other of reach) {
      let wheel = 0;
      if (other !== zone) {
        const link = isBuy
          ? this.linkAt[other * zoneCount + zone]!
          : this.linkAt[zone * zoneCount + other]!;
        if (this.linkCap[link]! <= 0) continue;
        wheel = this.linkWheel[link]!;
      }
      const level = (isBuy ? this.asks : this.bids)[other]!.best();
      if (level === undefined) continue;
      if (isBuy ? level.price + wheel <= price : level.price - wheel >= price) return true;
    }
    return false;
  }

  /** Whether a FOK order could fill completely (orders of its own account would be cancelled). */
  private canFill(
    zone: number,
    side: SideCode,
    price: number,
    quantity: number,
    account: string,
  ): boolean {
    const isBuy = side === BUY;
    const zoneCount = this.zoneNames.length;
    const reach = isBuy ? this.buySources[zone]! : this.sellTargets[zone]!;
    let need = quantity;
    for (const other of reach) {
      let wheel = 0;
      let cap = Number.MAX_SAFE_INTEGER;
      if (other !== zone) {
        const link = isBuy
          ? this.linkAt[other * zoneCount + zone]!
          : this.linkAt[zone * zoneCount + other]!;
        cap = this.linkCap[link]!;
        if (cap <= 0) continue;
        wheel = this.linkWheel[link]!;
      }
      const levels = (isBuy ? this.asks : this.bids)[other]!.levels;
      let available = 0;
      for (let i = levels.length - 1; i >= 0 && available < cap && available < need; i--) {
        const level = levels[i]!;
        if (isBuy ? level.price + wheel > price : level.price - wheel < price) break;
        for (let o = level.head; o !== null; o = o.next) {
          if (o.account !== account) available += o.remaining;
        }
      }
      need -= available < cap ? available : cap;
      if (need <= 0) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- helpers

  private checkPrice(price: unknown): RejectCode | null {
    if (!isInt(price)) return 'MATCH_INVALID_FIELD';
    if (price < this.spec.priceFloorTicks || price > this.spec.priceCapTicks)
      return 'MATCH_PRICE_OUT_OF_BAND';
    if (price % this.spec.tickSizeTicks !== 0) return 'MATCH_PRICE_NOT_ON_TICK';
    return null;
  }

  private checkQuantity(quantity: unknown): RejectCode | null {
    if (!isInt(quantity)) return 'MATCH_INVALID_FIELD';
    if (quantity < this.spec.minQuantityWh) return 'MATCH_QUANTITY_TOO_SMALL';
    if (quantity > this.spec.maxQuantityWh) return 'MATCH_QUANTITY_TOO_LARGE';
    if (quantity % this.spec.lotSizeWh !== 0) return 'MATCH_QUANTITY_NOT_ON_LOT';
    return null;
  }

  private cancelResting(order: OrderNode, reason: CancelReason): void {
    this.removeFromBook(order);
    this.finish(order, CANCELLED);
    this.out.push({
      type: 'cancelled',
      orderId: order.id,
      accountId: order.account,
      remainingWh: order.remaining,
      reason,
    });
  }

  private removeFromBook(order: OrderNode): void {
    (order.side === BUY ? this.bids : this.asks)[order.zone]!.remove(order);
  }

  private finish(order: OrderNode, status: StatusCode): void {
    order.status = status;
  }

  /** Open orders of one zone (or all zones for -1), earliest first. */
  private openOrdersBySeq(zone: number): OrderNode[] {
    const result: OrderNode[] = [];
    for (let z = 0; z < this.zoneNames.length; z++) {
      if (zone >= 0 && z !== zone) continue;
      for (const book of [this.bids[z]!, this.asks[z]!]) {
        for (const level of book.levels) {
          for (let o = level.head; o !== null; o = o.next) result.push(o);
        }
      }
    }
    return result.sort((a, b) => a.seq - b.seq);
  }

  // ---------------------------------------------------------------- views

  get zones(): readonly string[] {
    return this.zoneNames;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  isHalted(zone: string): boolean {
    const index = this.zoneIndex.get(zone);
    return index !== undefined && this.halted[index] === true;
  }

  /** Remaining capacity of one link direction, or undefined when there is no such link. */
  linkCapacity(from: string, to: string): number | undefined {
    const a = this.zoneIndex.get(from);
    const b = this.zoneIndex.get(to);
    if (a === undefined || b === undefined || a === b) return undefined;
    const link = this.linkAt[a * this.zoneNames.length + b]!;
    return link < 0 ? undefined : this.linkCap[link];
  }

  bestBid(zone: string): number | null {
    const index = this.zoneIndex.get(zone);
    if (index === undefined) return null;
    return this.bids[index]!.best()?.price ?? null;
  }

  bestAsk(zone: string): number | null {
    const index = this.zoneIndex.get(zone);
    if (index === undefined) return null;
    return this.asks[index]!.best()?.price ?? null;
  }

  /** Aggregated price levels of one zone, best first, at most `levels` per side. */
  depth(zone: string, levels = 10): Depth {
    const index = this.zoneIndex.get(zone);
    const take = (book: SideBook | undefined): DepthLevel[] => {
      const result: DepthLevel[] = [];
      if (book === undefined) return result;
      for (let i = book.levels.length - 1; i >= 0 && result.length < levels; i--) {
        const level = book.levels[i]!;
        result.push({
          priceTicks: level.price,
          quantityWh: level.totalWh,
          orderCount: level.count,
        });
      }
      return result;
    };
    return {
      zone,
      bids: take(index === undefined ? undefined : this.bids[index]),
      asks: take(index === undefined ? undefined : this.asks[index]),
    };
  }

  /** Every open order of one zone in priority order. */
  book(zone: string): ZoneBook {
    const index = this.zoneIndex.get(zone);
    const list = (book: SideBook | undefined): BookEntry[] => {
      const result: BookEntry[] = [];
      if (book === undefined) return result;
      for (let i = book.levels.length - 1; i >= 0; i--) {
        for (let o = book.levels[i]!.head; o !== null; o = o.next) {
          result.push({
            orderId: o.id,
            accountId: o.account,
            priceTicks: o.price,
            remainingWh: o.remaining,
          });
        }
      }
      return result;
    };
    return {
      zone,
      bids: list(index === undefined ? undefined : this.bids[index]),
      asks: list(index === undefined ? undefined : this.asks[index]),
    };
  }

  order(orderId: string): OrderView | undefined {
    const node = this.orders.get(orderId);
    return node === undefined ? undefined : this.view(node);
  }

  private view(o: OrderNode): OrderView {
    return {
      orderId: o.id,
      accountId: o.account,
      zone: this.zoneNames[o.zone]!,
      side: o.side === BUY ? 'buy' : 'sell',
      type: o.type,
      tif: o.tif,
      postOnly: o.postOnly,
      priceTicks: o.price,
      quantityWh: o.quantity,
      remainingWh: o.remaining,
      filledWh: o.filled,
      status: STATUS_NAMES[o.status]!,
      seq: o.seq,
    };
  }

  // ---------------------------------------------------------------- persistence

  snapshot(): MarketSnapshot {
    const links: LinkConfig[] = this.linkFrom.map((from, i) => ({
      from: this.zoneNames[from]!,
      to: this.zoneNames[this.linkTo[i]!]!,
      capacityWh: this.linkCap[i]!,
      wheelingTicks: this.linkWheel[i]!,
    }));
    const orders = [...this.orders.values()].sort((a, b) => a.seq - b.seq).map((o) => this.view(o));
    return {
      version: 1,
      zones: [...this.zoneNames],
      links,
      spec: {
        tickSizeTicks: this.spec.tickSizeTicks,
        lotSizeWh: this.spec.lotSizeWh,
        minQuantityWh: this.spec.minQuantityWh,
        maxQuantityWh: this.spec.maxQuantityWh,
        priceFloorTicks: this.spec.priceFloorTicks,
        priceCapTicks: this.spec.priceCapTicks,
      },
      closed: this.closed,
      haltedZones: this.zoneNames.filter((_, i) => this.halted[i]),
      nextSeq: this.nextSeq,
      orders,
    };
  }

  /** SHA-256 (hex) of the canonical JSON of `snapshot()`: equal states give equal hashes. */
  stateHash(): string {
    return sha256Hex(JSON.stringify(this.snapshot()));
  }

  /** Throws `MatchingError` when an invariant is broken: crossed book, negative capacity, bad totals. */
  checkInvariants(): void {
    const z = this.zoneNames.length;
    for (let i = 0; i < this.linkCap.length; i++) {
      if (!(this.linkCap[i]! >= 0))
        throw new MatchingError('MATCH_INVARIANT_NEGATIVE_CAPACITY', `link ${i}`);
    }
    for (let buyZone = 0; buyZone < z; buyZone++) {
      const bid = this.bids[buyZone]!.best();
      if (bid === undefined) continue;
      for (const sellZone of this.buySources[buyZone]!) {
        let wheel = 0;
        if (sellZone !== buyZone) {
          const link = this.linkAt[sellZone * z + buyZone]!;
          if (this.linkCap[link]! <= 0) continue;
          wheel = this.linkWheel[link]!;
        }
        const ask = this.asks[sellZone]!.best();
        if (ask !== undefined && bid.price >= ask.price + wheel)
          throw new MatchingError(
            'MATCH_INVARIANT_CROSSED_BOOK',
            `bid ${bid.price} in ${this.zoneNames[buyZone]} crosses ask ${ask.price} in ${this.zoneNames[sellZone]}`,
          );
      }
    }
    for (const books of [this.bids, this.asks]) {
      for (const book of books) {
        for (const level of book.levels) {
          let total = 0;
          let count = 0;
          let seq = 0;
          for (let o = level.head; o !== null; o = o.next) {
            if (o.status !== OPEN || o.seq <= seq || o.price !== level.price)
              throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `queue of ${level.price}`);
            seq = o.seq;
            total += o.remaining;
            count += 1;
          }
          if (total !== level.totalWh || count !== level.count || count === 0)
            throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `level ${level.price} totals`);
        }
      }
    }
    for (const o of this.orders.values()) {
      if (o.filled + o.remaining !== o.quantity || o.remaining < 0 || o.filled < 0)
        throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `order ${o.id}`);
    }
  }

  /** Rebuilds the state held in a snapshot (the inverse of `snapshot()`). */
  static restore(snapshot: MarketSnapshot): ContinuousMarket {
    if (typeof snapshot !== 'object' || snapshot === null || snapshot.version !== 1)
      throw new MatchingError('MATCH_INVALID_SNAPSHOT', 'unknown snapshot version');
    const market = new ContinuousMarket({
      zones: snapshot.zones,
      links: snapshot.links,
      spec: snapshot.spec,
    });
    market.closed = snapshot.closed === true;
    for (const zone of snapshot.haltedZones) {
      const index = market.zoneIndex.get(zone);
      if (index === undefined) throw new MatchingError('MATCH_INVALID_SNAPSHOT', `zone ${zone}`);
      market.halted[index] = true;
    }
    if (!isInt(snapshot.nextSeq) || snapshot.nextSeq < 1)
      throw new MatchingError('MATCH_INVALID_SNAPSHOT', 'nextSeq');
    market.nextSeq = snapshot.nextSeq;
    const views = [...snapshot.orders].sort((a, b) => a.seq - b.seq);
    for (const v of views) {
      const zone = market.zoneIndex.get(v.zone);
      const status = STATUS_CODES[v.status];
      if (
        zone === undefined ||
        status === undefined ||
        market.orders.has(v.orderId) ||
        !isInt(v.seq) ||
        v.seq >= market.nextSeq ||
        !isInt(v.remainingWh) ||
        !isInt(v.filledWh) ||
        v.filledWh + v.remainingWh !== v.quantityWh
      )
        throw new MatchingError('MATCH_INVALID_SNAPSHOT', `order ${String(v.orderId)}`);
      const node = new OrderNode(
        v.orderId,
        v.accountId,
        zone,
        v.side === 'buy' ? BUY : SELL,
        v.type,
        v.tif,
        v.postOnly,
        v.priceTicks,
        v.quantityWh,
        v.remainingWh,
        v.seq,
      );
      node.filled = v.filledWh;
      node.status = status;
      market.orders.set(node.id, node);
      if (status === OPEN) (node.side === BUY ? market.bids : market.asks)[zone]!.add(node);
    }
    market.checkInvariants();
    return market;
  }
}

/** Creates the continuous market of one delivery interval. Throws `MatchingError` on a bad config. */
export function createMarket(config: MarketConfig): ContinuousMarket {
  return new ContinuousMarket(config);
}

/** Rebuilds a market from `snapshot()`; its `stateHash()` equals the original's. */
export function restoreMarket(snapshot: MarketSnapshot): ContinuousMarket {
  return ContinuousMarket.restore(snapshot);
}
