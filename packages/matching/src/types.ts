// Shapes of the continuous market's configuration, commands, events and views. Everything is
// plain JSON-compatible data in integer units (ticks, Wh) so the engine can log commands, replay
// them after a crash and send events to browsers without conversion.
import type { RejectCode } from './errors.ts';

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'expired';

/** Integer rules every order of one market must meet. */
export interface MarketSpec {
  readonly tickSizeTicks: number;
  readonly lotSizeWh: number;
  readonly minQuantityWh: number;
  readonly maxQuantityWh: number;
  readonly priceFloorTicks: number;
  readonly priceCapTicks: number;
}

/** One direction of an inter-zone link: remaining transfer capacity and wheeling charge. */
export interface LinkConfig {
  readonly from: string;
  readonly to: string;
  readonly capacityWh: number;
  readonly wheelingTicks: number;
}

export interface MarketConfig {
  readonly zones: readonly string[];
  readonly links: readonly LinkConfig[];
  readonly spec: MarketSpec;
}

export interface PlaceCommand {
  readonly kind: 'place';
  readonly orderId: string;
  readonly accountId: string;
  readonly zone: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Limit price, or the protection price of a market order. */
  readonly priceTicks: number;
  readonly quantityWh: number;
  readonly tif: TimeInForce;
  readonly postOnly?: boolean;
}

export interface CancelCommand {
  readonly kind: 'cancel';
  readonly orderId: string;
  readonly accountId: string;
}

/** Changes an open order: `quantityWh` is the new remaining quantity. */
export interface AmendCommand {
  readonly kind: 'amend';
  readonly orderId: string;
  readonly accountId: string;
  readonly quantityWh?: number;
  readonly priceTicks?: number;
}

/** Market close: every open order expires and later orders are refused. */
export interface CloseCommand {
  readonly kind: 'close';
}

/** Emergency halt of one zone: its open orders are cancelled and new ones refused until resumed. */
export interface HaltZoneCommand {
  readonly kind: 'haltZone';
  readonly zone: string;
}

export interface ResumeZoneCommand {
  readonly kind: 'resumeZone';
  readonly zone: string;
}

/** Operator action: the remaining capacity of one link direction. */
export interface SetLinkCapacityCommand {
  readonly kind: 'setLinkCapacity';
  readonly from: string;
  readonly to: string;
  readonly capacityWh: number;
}

export type MarketCommand =
  | PlaceCommand
  | CancelCommand
  | AmendCommand
  | CloseCommand
  | HaltZoneCommand
  | ResumeZoneCommand
  | SetLinkCapacityCommand;

export interface AcceptedEvent {
  readonly type: 'accepted';
  readonly orderId: string;
  readonly accountId: string;
  readonly zone: string;
  readonly side: Side;
  readonly priceTicks: number;
  readonly quantityWh: number;
}

export interface RejectedEvent {
  readonly type: 'rejected';
  readonly command: MarketCommand['kind'];
  /** The order id of a place, cancel or amend; empty for other commands. */
  readonly orderId: string;
  readonly code: RejectCode;
}

/** A trade. It prints at the maker's price; a cross-zone buyer also pays `wheelingTicks` per Wh. */
export interface FillEvent {
  readonly type: 'fill';
  readonly makerOrderId: string;
  readonly takerOrderId: string;
  readonly makerAccountId: string;
  readonly takerAccountId: string;
  readonly makerZone: string;
  readonly takerZone: string;
  readonly takerSide: Side;
  readonly priceTicks: number;
  readonly quantityWh: number;
  readonly wheelingTicks: number;
}

export type CancelReason = 'requested' | 'selfTrade' | 'unfilled' | 'halt';

export interface CancelledEvent {
  readonly type: 'cancelled';
  readonly orderId: string;
  readonly accountId: string;
  readonly remainingWh: number;
  readonly reason: CancelReason;
}

export interface ExpiredEvent {
  readonly type: 'expired';
  readonly orderId: string;
  readonly accountId: string;
  readonly remainingWh: number;
}

export interface AmendedEvent {
  readonly type: 'amended';
  readonly orderId: string;
  readonly accountId: string;
  readonly priceTicks: number;
  readonly remainingWh: number;
  readonly priorityKept: boolean;
}

export interface LinkCapacityEvent {
  readonly type: 'linkCapacity';
  readonly from: string;
  readonly to: string;
  readonly capacityWh: number;
}

export interface ZoneStateEvent {
  readonly type: 'zoneHalted' | 'zoneResumed';
  readonly zone: string;
}

export interface MarketClosedEvent {
  readonly type: 'marketClosed';
}

export type MarketEvent =
  | AcceptedEvent
  | RejectedEvent
  | FillEvent
  | CancelledEvent
  | ExpiredEvent
  | AmendedEvent
  | LinkCapacityEvent
  | ZoneStateEvent
  | MarketClosedEvent;

/** What the UI reads about one order. */
export interface OrderView {
  readonly orderId: string;
  readonly accountId: string;
  readonly zone: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly postOnly: boolean;
  readonly priceTicks: number;
  readonly quantityWh: number;
  readonly remainingWh: number;
  readonly filledWh: number;
  readonly status: OrderStatus;
  /** Time priority: lower is earlier. */
  readonly seq: number;
}

export interface DepthLevel {
  readonly priceTicks: number;
  readonly quantityWh: number;
  readonly orderCount: number;
}

export interface Depth {
  readonly zone: string;
  /** Best (highest) first. */
  readonly bids: readonly DepthLevel[];
  /** Best (lowest) first. */
  readonly asks: readonly DepthLevel[];
}

export interface BookEntry {
  readonly orderId: string;
  readonly accountId: string;
  readonly priceTicks: number;
  readonly remainingWh: number;
}

/** Every open order of one zone in priority order (best price, then time). */
export interface ZoneBook {
  readonly zone: string;
  readonly bids: readonly BookEntry[];
  readonly asks: readonly BookEntry[];
}

/** Complete, JSON-serialisable state of a continuous market; `restoreMarket` rebuilds it. */
export interface MarketSnapshot {
  readonly version: 1;
  readonly zones: readonly string[];
  readonly links: readonly LinkConfig[];
  readonly spec: MarketSpec;
  readonly closed: boolean;
  readonly haltedZones: readonly string[];
  readonly nextSeq: number;
  /** Every order ever accepted, by `seq`. */
  readonly orders: readonly OrderView[];
}
