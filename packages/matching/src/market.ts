// The real-time continuous market of one delivery interval: a price-time-priority book per zone,
// with cross-zone matching over links (effective price = maker price ± wheeling). Commands return
// their events synchronously; state depends only on the command sequence, so replay is recovery.
// Orders live in pages of numeric records and price levels in typed-array columns (src/internal),
// and accounts are interned to small integers, so the hot path allocates only the events it returns.
import { MatchingError } from './errors.ts';
import type { RejectCode } from './errors.ts';
import { sha256Hex } from './internal/hash.ts';
import { LevelPool, SideBook } from './internal/levels.ts';
import {
  BUY,
  CANCELLED,
  EXPIRED,
  FILLED,
  FOK,
  GTC,
  IOC,
  LIMIT,
  MARKET,
  NONE,
  OPEN,
  OrderStore,
  SELL,
} from './internal/orders.ts';
import type { OrderFields, SideCode, StatusCode } from './internal/orders.ts';
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
  OrderType,
  OrderView,
  PlaceCommand,
  SetLinkCapacityCommand,
  Side,
  TimeInForce,
  ZoneBook,
} from './types.ts';

const STATUS_NAMES: readonly OrderStatus[] = ['open', 'filled', 'cancelled', 'expired'];
const STATUS_CODES: Readonly<Record<OrderStatus, StatusCode>> = {
  open: OPEN,
  filled: FILLED,
  cancelled: CANCELLED,
  expired: EXPIRED,
};
const SIDE_NAMES: readonly Side[] = ['buy', 'sell'];
const TYPE_NAMES: readonly OrderType[] = ['limit', 'market'];
const TIF_NAMES: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];

/**
 * An empty array that holds strings from the start: an empty literal begins as a small-integer
 * array and changes kind on its first push, which deoptimises the code that read it before.
 */
function stringArray(): string[] {
  const array = [''];
  array.pop();
  return array;
}

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
  /** The link to each of those zones, aligned with them (-1 for the taker's own zone). */
  private readonly buyLinks: number[][] = [];
  private readonly sellLinks: number[][] = [];
  /** Every order ever accepted; finished ones packed (views, duplicate ids, snapshots). */
  private readonly orders = new OrderStore();
  private readonly levels = new LevelPool();
  /**
   * Accounts by number; interning makes self-trade checks integer compares. A Map, not an
   * IdTable: a few thousand accounts stay in cache, and a Map reuses the hash V8 caches in the
   * string, where the IdTable rehashes every character of every command's account id.
   */
  private readonly accountIndex = new Map<string, number>();
  private readonly accountNames: string[] = stringArray();
  private readonly halted: Uint8Array;
  private closed = false;
  private nextSeq = 1;
  private out: MarketEvent[] = [];
  /** Scratch for reading one order's fields (views, invariants). */
  private readonly fields: OrderFields = {
    account: 0,
    zone: 0,
    side: BUY,
    type: 0,
    tif: 0,
    postOnly: false,
    status: OPEN,
    price: 0,
    quantity: 0,
    remaining: 0,
    seq: 0,
  };

  constructor(config: MarketConfig) {
    const check = checkMarketConfig(config);
    if (!check.ok)
      throw new MatchingError('MATCH_INVALID_CONFIG', `${check.field} ${check.message}`);
    this.zoneNames = [...config.zones];
    // One literal shape for every market (a spread copy's shape follows its source's history).
    const spec = config.spec;
    this.spec = {
      tickSizeTicks: spec.tickSizeTicks,
      lotSizeWh: spec.lotSizeWh,
      minQuantityWh: spec.minQuantityWh,
      maxQuantityWh: spec.maxQuantityWh,
      priceFloorTicks: spec.priceFloorTicks,
      priceCapTicks: spec.priceCapTicks,
    };
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
    this.halted = new Uint8Array(z);
    for (let i = 0; i < z; i++) {
      this.bids.push(new SideBook(true, this.levels, this.orders));
      this.asks.push(new SideBook(false, this.levels, this.orders));
      const sources = [i];
      const targets = [i];
      const sourceLinks = [-1];
      const targetLinks = [-1];
      for (let j = 0; j < z; j++) {
        if (j === i) continue;
        if (this.linkAt[j * z + i]! >= 0) {
          sources.push(j);
          sourceLinks.push(this.linkAt[j * z + i]!);
        }
        if (this.linkAt[i * z + j]! >= 0) {
          targets.push(j);
          targetLinks.push(this.linkAt[i * z + j]!);
        }
      }
      this.buySources.push(sources);
      this.sellTargets.push(targets);
      this.buyLinks.push(sourceLinks);
      this.sellLinks.push(targetLinks);
    }
  }

  /**
   * Applies one command and returns the events it caused, in order. The array and its events
   * are new on every call and belong to the caller.
   */
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
    const zone = this.zoneOf(c.zone);
    if (zone < 0) return this.reject('place', id, 'MATCH_UNKNOWN_ZONE');
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
    if (this.halted[zone] !== 0) return this.reject('place', id, 'MATCH_ZONE_HALTED');
    if (this.orders.find(id) !== NONE) return this.reject('place', id, 'MATCH_DUPLICATE_ORDER_ID');
    const side: SideCode = c.side === 'buy' ? BUY : SELL;
    if (postOnly) {
      if (c.type !== 'limit' || c.tif !== 'GTC')
        return this.reject('place', id, 'MATCH_POST_ONLY_NOT_GTC_LIMIT');
      if (this.wouldCross(zone, side, c.priceTicks))
        return this.reject('place', id, 'MATCH_POST_ONLY_WOULD_CROSS');
    }
    if (
      c.tif === 'FOK' &&
      !this.canFill(
        zone,
        side,
        c.priceTicks,
        c.quantityWh,
        this.accountIndex.get(c.accountId) ?? NONE,
      )
    )
      return this.reject('place', id, 'MATCH_FOK_UNFILLABLE');

    const order = this.orders.add(
      id,
      this.intern(c.accountId),
      zone,
      side,
      c.type === 'limit' ? LIMIT : MARKET,
      c.tif === 'GTC' ? GTC : c.tif === 'IOC' ? IOC : FOK,
      postOnly,
      c.priceTicks,
      c.quantityWh,
      c.quantityWh,
      this.nextSeq++,
    );
    this.out.push({
      type: 'accepted',
      orderId: id,
      accountId: c.accountId,
      zone: c.zone,
      side: c.side,
      priceTicks: c.priceTicks,
      quantityWh: c.quantityWh,
    });
    this.match(order);
    this.settleTaker(order);
  }

  private intern(account: string): number {
    let index = this.accountIndex.get(account);
    if (index === undefined) {
      index = this.accountNames.length;
      this.accountNames.push(account);
      this.accountIndex.set(account, index);
    }
    return index;
  }

  /** After matching: rest a GTC limit remainder, cancel any other remainder. */
  private settleTaker(order: number): void {
    const o = this.orders;
    if (o.remaining(order) === 0) {
      o.retire(order, FILLED);
      return;
    }
    if (o.type(order) === LIMIT && o.tif(order) === GTC) {
      this.sideBook(order).add(order);
      return;
    }
    this.out.push({
      type: 'cancelled',
      orderId: o.id(order),
      accountId: this.accountNames[o.account(order)]!,
      remainingWh: o.remaining(order),
      reason: 'unfilled',
    });
    o.retire(order, CANCELLED);
  }

  /**
   * The record of an order named by a cancel or amend, or NONE after rejecting the command (unknown
   * id, another account's order, or a finished order: RT-7).
   */
  private openOrderFor(command: 'cancel' | 'amend', orderId: unknown, accountId: string): number {
    const o = this.orders;
    const key = typeof orderId === 'string' ? o.find(orderId) : NONE;
    if (key === NONE) {
      this.reject(command, String(orderId), 'MATCH_UNKNOWN_ORDER');
      return NONE;
    }
    const order = o.slot(key);
    const account = order === NONE ? o.accountOfKey(key) : o.account(order);
    if (this.accountNames[account] !== accountId) {
      this.reject(command, orderId as string, 'MATCH_NOT_OWNER');
      return NONE;
    }
    if (order === NONE || o.status(order) !== OPEN) {
      this.reject(command, orderId as string, 'MATCH_ORDER_NOT_OPEN');
      return NONE;
    }
    return order;
  }

  private cancel(c: CancelCommand): void {
    const order = this.openOrderFor('cancel', c.orderId, c.accountId);
    if (order !== NONE) this.cancelResting(order, 'requested');
  }

  private amend(c: AmendCommand): void {
    const order = this.openOrderFor('amend', c.orderId, c.accountId);
    if (order === NONE) return;
    const o = this.orders;
    const id = o.id(order);
    const price = o.price(order);
    const remaining = o.remaining(order);
    const newPrice = c.priceTicks ?? price;
    const newRemaining = c.quantityWh ?? remaining;
    if (c.priceTicks !== undefined) {
      const code = this.checkPrice(c.priceTicks);
      if (code !== null) return this.reject('amend', id, code);
    }
    if (c.quantityWh !== undefined) {
      const code = this.checkQuantity(c.quantityWh);
      if (code !== null) return this.reject('amend', id, code);
    }
    if (newPrice === price && newRemaining === remaining)
      return this.reject('amend', id, 'MATCH_AMEND_NO_CHANGE');
    const book = this.sideBook(order);
    const accountId = this.accountNames[o.account(order)]!;
    if (newPrice === price && newRemaining < remaining) {
      // Reducing size keeps the place in the queue.
      const level = book.levelOf(price);
      this.levels.total[level] = this.levels.total[level]! - (remaining - newRemaining);
      o.setQuantity(order, o.quantity(order) - (remaining - newRemaining));
      o.setRemaining(order, newRemaining);
      this.out.push({
        type: 'amended',
        orderId: id,
        accountId,
        priceTicks: price,
        remainingWh: newRemaining,
        priorityKept: true,
      });
      return;
    }
    // The order's own side is not consulted, so it may stay in place while we check.
    if (
      o.postOnly(order) &&
      newPrice !== price &&
      this.wouldCross(o.zone(order), o.side(order), newPrice)
    )
      return this.reject('amend', id, 'MATCH_POST_ONLY_WOULD_CROSS');
    book.remove(order, book.levelOf(price));
    o.setPrice(order, newPrice);
    o.setQuantity(order, o.quantity(order) + (newRemaining - remaining));
    o.setRemaining(order, newRemaining);
    o.setSeq(order, this.nextSeq++);
    this.out.push({
      type: 'amended',
      orderId: id,
      accountId,
      priceTicks: newPrice,
      remainingWh: newRemaining,
      priorityKept: false,
    });
    this.match(order);
    if (o.remaining(order) === 0) o.retire(order, FILLED);
    else book.add(order);
  }

  private close(): void {
    const o = this.orders;
    for (const order of this.openOrdersBySeq(-1)) {
      this.unrest(order);
      this.out.push({
        type: 'expired',
        orderId: o.id(order),
        accountId: this.accountNames[o.account(order)]!,
        remainingWh: o.remaining(order),
      });
      o.retire(order, EXPIRED);
    }
    this.closed = true;
    this.out.push({ type: 'marketClosed' });
  }

  private haltZone(zoneName: string): void {
    const zone = this.zoneIndex.get(zoneName);
    if (zone === undefined) return this.reject('haltZone', '', 'MATCH_UNKNOWN_ZONE');
    for (const order of this.openOrdersBySeq(zone)) this.cancelResting(order, 'halt');
    this.halted[zone] = 1;
    this.out.push({ type: 'zoneHalted', zone: zoneName });
  }

  private resumeZone(zoneName: string): void {
    const zone = this.zoneIndex.get(zoneName);
    if (zone === undefined) return this.reject('resumeZone', '', 'MATCH_UNKNOWN_ZONE');
    this.halted[zone] = 0;
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
  private match(taker: number): void {
    const o = this.orders;
    const pool = this.levels;
    const isBuy = o.side(taker) === BUY;
    const takerZone = o.zone(taker);
    const takerAccount = o.account(taker);
    const reach = isBuy ? this.buySources[takerZone]! : this.sellTargets[takerZone]!;
    const links = isBuy ? this.buyLinks[takerZone]! : this.sellLinks[takerZone]!;
    const linkCap = this.linkCap;
    const linkWheel = this.linkWheel;
    const books = isBuy ? this.asks : this.bids;
    const limit = o.price(taker);
    while (o.remaining(taker) > 0) {
      let best = NONE;
      let bestEff = 0;
      let bestLink = -1;
      let bestZone = -1;
      for (let k = 0; k < reach.length; k++) {
        const zone = reach[k]!;
        const link = links[k]!;
        let wheel = 0;
        if (link >= 0) {
          if (linkCap[link]! <= 0) continue;
          wheel = linkWheel[link]!;
        }
        const level = books[zone]!.best();
        if (level === NONE) continue;
        const price = pool.price[level]!;
        const eff = isBuy ? price + wheel : price - wheel;
        if (isBuy ? eff > limit : eff < limit) continue;
        // Time priority only decides between equal effective prices: read seqs lazily.
        if (
          best === NONE ||
          (isBuy ? eff < bestEff : eff > bestEff) ||
          (eff === bestEff && o.seq(pool.head[level]!) < o.seq(pool.head[best]!))
        ) {
          best = level;
          bestEff = eff;
          bestLink = link;
          bestZone = zone;
        }
      }
      if (best === NONE) return;
      const maker = pool.head[best]!;
      if (o.account(maker) === takerAccount) {
        this.cancelResting(maker, 'selfTrade');
        continue;
      }
      const takerLeft = o.remaining(taker);
      const makerLeft = o.remaining(maker);
      let qty = takerLeft < makerLeft ? takerLeft : makerLeft;
      if (bestLink >= 0 && linkCap[bestLink]! < qty) qty = linkCap[bestLink]!;
      this.trade(maker, taker, qty, bestLink, books[bestZone]!, best);
    }
  }

  private trade(
    maker: number,
    taker: number,
    qty: number,
    link: number,
    makerBook: SideBook,
    makerLevel: number,
  ): void {
    const o = this.orders;
    const pool = this.levels;
    o.fill(maker, qty);
    pool.total[makerLevel] = pool.total[makerLevel]! - qty;
    o.fill(taker, qty);
    let wheel = 0;
    if (link >= 0) {
      this.linkCap[link] = this.linkCap[link]! - qty;
      wheel = this.linkWheel[link]!;
    }
    this.out.push({
      type: 'fill',
      makerOrderId: o.id(maker),
      takerOrderId: o.id(taker),
      makerAccountId: this.accountNames[o.account(maker)]!,
      takerAccountId: this.accountNames[o.account(taker)]!,
      makerZone: this.zoneNames[o.zone(maker)]!,
      takerZone: this.zoneNames[o.zone(taker)]!,
      takerSide: o.side(taker) === BUY ? 'buy' : 'sell',
      priceTicks: o.price(maker),
      quantityWh: qty,
      wheelingTicks: wheel,
    });
    if (o.remaining(maker) === 0) {
      makerBook.remove(maker, makerLevel);
      o.retire(maker, FILLED);
    }
  }

  /** After a capacity change, trades resting orders that now cross over the link; the older is maker. */
  private uncrossLink(link: number): void {
    const o = this.orders;
    const pool = this.levels;
    const from = this.linkFrom[link]!;
    const to = this.linkTo[link]!;
    const wheel = this.linkWheel[link]!;
    const askBook = this.asks[from]!;
    const bidBook = this.bids[to]!;
    while (this.linkCap[link]! > 0) {
      const bidLevel = bidBook.best();
      const askLevel = askBook.best();
      if (bidLevel === NONE || askLevel === NONE) return;
      if (pool.price[bidLevel]! < pool.price[askLevel]! + wheel) return;
      const bid = pool.head[bidLevel]!;
      const ask = pool.head[askLevel]!;
      const bidIsMaker = o.seq(bid) < o.seq(ask);
      const maker = bidIsMaker ? bid : ask;
      const taker = bidIsMaker ? ask : bid;
      if (o.account(maker) === o.account(taker)) {
        this.cancelResting(maker, 'selfTrade');
        continue;
      }
      let qty = o.remaining(bid) < o.remaining(ask) ? o.remaining(bid) : o.remaining(ask);
      if (this.linkCap[link]! < qty) qty = this.linkCap[link]!;
      // The taker is resting too: keep its level total in step before the maker side is settled.
      const takerLevel = bidIsMaker ? askLevel : bidLevel;
      pool.total[takerLevel] = pool.total[takerLevel]! - qty;
      this.trade(
        maker,
        taker,
        qty,
        link,
        bidIsMaker ? bidBook : askBook,
        bidIsMaker ? bidLevel : askLevel,
      );
      if (o.remaining(taker) === 0) {
        (bidIsMaker ? askBook : bidBook).remove(taker, takerLevel);
        o.retire(taker, FILLED);
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
      if (level === NONE) continue;
      const levelPrice = this.levels.price[level]!;
      if (isBuy ? levelPrice + wheel <= price : levelPrice - wheel >= price) return true;
    }
    return false;
  }

  /**
   * Whether a FOK order could fill completely (orders of its own account would be cancelled).
   * `account` is NONE for an account that has no order in this market yet.
   */
  private canFill(
    zone: number,
    side: SideCode,
    price: number,
    quantity: number,
    account: number,
  ): boolean {
    const o = this.orders;
    const pool = this.levels;
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
      const book = (isBuy ? this.asks : this.bids)[other]!;
      let available = 0;
      for (let i = book.size - 1; i >= 0 && available < cap && available < need; i--) {
        const level = book.levels[i]!;
        const levelPrice = pool.price[level]!;
        if (isBuy ? levelPrice + wheel > price : levelPrice - wheel < price) break;
        for (let r = pool.head[level]!; r !== NONE; r = o.next(r)) {
          if (o.account(r) !== account) available += o.remaining(r);
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

  /** Takes a resting order out of the book. */
  private unrest(order: number): void {
    const book = this.sideBook(order);
    book.remove(order, book.levelOf(this.orders.price(order)));
  }

  /** Index of a zone name, or -1. A few names are scanned: cheaper than hashing into a Map. */
  private zoneOf(name: string): number {
    const names = this.zoneNames;
    if (names.length > 8) return this.zoneIndex.get(name) ?? -1;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  /** The book side an order rests on (or would rest on). */
  private sideBook(order: number): SideBook {
    const o = this.orders;
    return (o.side(order) === BUY ? this.bids : this.asks)[o.zone(order)]!;
  }

  private cancelResting(order: number, reason: CancelReason): void {
    const o = this.orders;
    this.unrest(order);
    this.out.push({
      type: 'cancelled',
      orderId: o.id(order),
      accountId: this.accountNames[o.account(order)]!,
      remainingWh: o.remaining(order),
      reason,
    });
    o.retire(order, CANCELLED);
  }

  /** Open orders of one zone (or all zones for -1), earliest first. */
  private openOrdersBySeq(zone: number): number[] {
    const o = this.orders;
    const pool = this.levels;
    const result: number[] = [];
    for (let z = 0; z < this.zoneNames.length; z++) {
      if (zone >= 0 && z !== zone) continue;
      for (const book of [this.bids[z]!, this.asks[z]!]) {
        for (let i = 0; i < book.size; i++) {
          for (let r = pool.head[book.levels[i]!]!; r !== NONE; r = o.next(r)) result.push(r);
        }
      }
    }
    return result.sort((a, b) => o.seq(a) - o.seq(b));
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
    return index !== undefined && this.halted[index] === 1;
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
    return this.bestPrice(this.bids, zone);
  }

  bestAsk(zone: string): number | null {
    return this.bestPrice(this.asks, zone);
  }

  private bestPrice(books: readonly SideBook[], zone: string): number | null {
    const index = this.zoneIndex.get(zone);
    if (index === undefined) return null;
    const level = books[index]!.best();
    return level === NONE ? null : this.levels.price[level]!;
  }

  /** Aggregated price levels of one zone, best first, at most `levels` per side. */
  depth(zone: string, levels = 10): Depth {
    const index = this.zoneIndex.get(zone);
    const pool = this.levels;
    const take = (book: SideBook | undefined): DepthLevel[] => {
      const result: DepthLevel[] = [];
      if (book === undefined) return result;
      for (let i = book.size - 1; i >= 0 && result.length < levels; i--) {
        const level = book.levels[i]!;
        result.push({
          priceTicks: pool.price[level]!,
          quantityWh: pool.total[level]!,
          orderCount: pool.count[level]!,
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
    const o = this.orders;
    const pool = this.levels;
    const list = (book: SideBook | undefined): BookEntry[] => {
      const result: BookEntry[] = [];
      if (book === undefined) return result;
      for (let i = book.size - 1; i >= 0; i--) {
        for (let r = pool.head[book.levels[i]!]!; r !== NONE; r = o.next(r)) {
          result.push({
            orderId: o.id(r),
            accountId: this.accountNames[o.account(r)]!,
            priceTicks: o.price(r),
            remainingWh: o.remaining(r),
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

  /** Any order this market accepted, open or finished. */
  order(orderId: string): OrderView | undefined {
    const key = typeof orderId === 'string' ? this.orders.find(orderId) : NONE;
    return key === NONE ? undefined : this.view(key);
  }

  /** The view of the order of `key` (its id handle), live or finished. */
  private view(key: number): OrderView {
    const f = this.fields;
    this.orders.read(key, f);
    return {
      orderId: this.orders.idOfKey(key),
      accountId: this.accountNames[f.account]!,
      zone: this.zoneNames[f.zone]!,
      side: SIDE_NAMES[f.side]!,
      type: TYPE_NAMES[f.type]!,
      tif: TIF_NAMES[f.tif]!,
      postOnly: f.postOnly,
      priceTicks: f.price,
      quantityWh: f.quantity,
      remainingWh: f.remaining,
      filledWh: f.quantity - f.remaining,
      status: STATUS_NAMES[f.status]!,
      seq: f.seq,
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
    const o = this.orders;
    const handles = new Array<number>(o.count);
    for (let i = 0; i < o.count; i++) handles[i] = i;
    const seqs = new Array<number>(o.count);
    for (let i = 0; i < o.count; i++) seqs[i] = o.seqOfKey(i);
    handles.sort((a, b) => seqs[a]! - seqs[b]!);
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
      haltedZones: this.zoneNames.filter((_, i) => this.halted[i] === 1),
      nextSeq: this.nextSeq,
      orders: handles.map((h) => this.view(h)),
    };
  }

  /** SHA-256 (hex) of the canonical JSON of `snapshot()`: equal states give equal hashes. */
  stateHash(): string {
    return sha256Hex(JSON.stringify(this.snapshot()));
  }

  /** Throws `MatchingError` when an invariant is broken: crossed book, negative capacity, bad totals. */
  checkInvariants(): void {
    const z = this.zoneNames.length;
    const o = this.orders;
    const pool = this.levels;
    for (let i = 0; i < this.linkCap.length; i++) {
      if (!(this.linkCap[i]! >= 0))
        throw new MatchingError('MATCH_INVARIANT_NEGATIVE_CAPACITY', `link ${i}`);
    }
    for (let buyZone = 0; buyZone < z; buyZone++) {
      const bidLevel = this.bids[buyZone]!.best();
      if (bidLevel === NONE) continue;
      const bid = pool.price[bidLevel]!;
      for (const sellZone of this.buySources[buyZone]!) {
        let wheel = 0;
        if (sellZone !== buyZone) {
          const link = this.linkAt[sellZone * z + buyZone]!;
          if (this.linkCap[link]! <= 0) continue;
          wheel = this.linkWheel[link]!;
        }
        const askLevel = this.asks[sellZone]!.best();
        if (askLevel !== NONE && bid >= pool.price[askLevel]! + wheel)
          throw new MatchingError(
            'MATCH_INVARIANT_CROSSED_BOOK',
            `bid ${bid} in ${this.zoneNames[buyZone]} crosses ask ${pool.price[askLevel]} in ${this.zoneNames[sellZone]}`,
          );
      }
    }
    for (const books of [this.bids, this.asks]) {
      for (const book of books) {
        let previous = NaN;
        for (let i = 0; i < book.size; i++) {
          const level = book.levels[i]!;
          const price = pool.price[level]!;
          // Worst first: bids ascending, asks descending, never two levels at one price.
          if (i > 0 && (book.isBid ? price <= previous : price >= previous))
            throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `levels at ${price} unsorted`);
          previous = price;
          let total = 0;
          let count = 0;
          let seq = 0;
          for (let r = pool.head[level]!; r !== NONE; r = o.next(r)) {
            if (o.status(r) !== OPEN || o.seq(r) <= seq || o.price(r) !== price)
              throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `queue of ${price}`);
            seq = o.seq(r);
            total += o.remaining(r);
            count += 1;
          }
          if (total !== pool.total[level] || count !== pool.count[level] || count === 0)
            throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `level ${price} totals`);
        }
      }
    }
    const f = this.fields;
    for (let key = 0; key < o.count; key++) {
      o.read(key, f);
      const slot = o.slot(key);
      if (
        f.remaining < 0 ||
        f.remaining > f.quantity ||
        (slot !== NONE && o.key(slot) !== key) ||
        (slot === NONE && f.status === OPEN)
      )
        throw new MatchingError('MATCH_INVARIANT_CONSERVATION', `order ${o.idOfKey(key)}`);
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
      market.halted[index] = 1;
    }
    if (!isInt(snapshot.nextSeq) || snapshot.nextSeq < 1)
      throw new MatchingError('MATCH_INVALID_SNAPSHOT', 'nextSeq');
    market.nextSeq = snapshot.nextSeq;
    const views = [...snapshot.orders].sort((a, b) => a.seq - b.seq);
    const o = market.orders;
    for (const v of views) {
      const zone = market.zoneIndex.get(v.zone);
      const status = STATUS_CODES[v.status];
      const side = SIDE_NAMES.indexOf(v.side);
      const type = TYPE_NAMES.indexOf(v.type);
      const tif = TIF_NAMES.indexOf(v.tif);
      if (
        typeof v.orderId !== 'string' ||
        v.orderId.length === 0 ||
        typeof v.accountId !== 'string' ||
        zone === undefined ||
        status === undefined ||
        side < 0 ||
        type < 0 ||
        tif < 0 ||
        typeof v.postOnly !== 'boolean' ||
        o.find(v.orderId) !== NONE ||
        !isInt(v.seq) ||
        v.seq >= market.nextSeq ||
        !isInt(v.priceTicks) ||
        !isInt(v.quantityWh) ||
        !isInt(v.remainingWh) ||
        !isInt(v.filledWh) ||
        v.filledWh + v.remainingWh !== v.quantityWh
      )
        throw new MatchingError('MATCH_INVALID_SNAPSHOT', `order ${String(v.orderId)}`);
      const order = o.add(
        v.orderId,
        market.intern(v.accountId),
        zone,
        side as SideCode,
        type,
        tif,
        v.postOnly,
        v.priceTicks,
        v.quantityWh,
        v.remainingWh,
        v.seq,
      );
      if (status === OPEN) market.sideBook(order).add(order);
      else o.retire(order, status);
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
