// Input and result shapes of the day-ahead auction: the same JSON as the clear-auction command
// line tool (issue 3 §3), in integer ticks and Wh, so the engine, the CLI and tests share one contract.

export interface AuctionLinkInput {
  readonly from: string;
  readonly to: string;
  /** One capacity for every interval, or one per interval. */
  readonly capacityWh: number | readonly number[];
  readonly wheelingTicks: number;
}

/** A simple stepwise order for one interval. */
export interface SimpleAuctionOrder {
  readonly id: string;
  readonly zone: string;
  readonly side: 'buy' | 'sell';
  readonly priceTicks: number;
  readonly interval: number;
  readonly quantityWh: number;
  /** 0 or absent: freely curtailable. Above 0: accepted at this ratio or more, or not at all. */
  readonly minAcceptanceRatio?: number;
}

/** A block order: one price over a quantity profile; `minAcceptanceRatio` defaults to 1. */
export interface BlockAuctionOrder {
  readonly id: string;
  readonly zone: string;
  readonly side: 'buy' | 'sell';
  readonly priceTicks: number;
  readonly profile: readonly { readonly interval: number; readonly quantityWh: number }[];
  readonly minAcceptanceRatio?: number;
}

export type AuctionOrder = SimpleAuctionOrder | BlockAuctionOrder;

export interface AuctionInput {
  readonly intervals: number;
  readonly priceFloorTicks: number;
  readonly priceCapTicks: number;
  readonly zones: readonly string[];
  readonly links: readonly AuctionLinkInput[];
  readonly orders: readonly AuctionOrder[];
}

export interface AcceptedOrder {
  readonly id: string;
  /** Accepted share of the order's total quantity. */
  readonly acceptanceRatio: number;
  /** Accepted Wh by interval (as a string key, the JSON object shape). */
  readonly quantitiesWh: Readonly<Record<string, number>>;
}

export interface AuctionFlow {
  readonly from: string;
  readonly to: string;
  readonly interval: number;
  readonly quantityWh: number;
}

export interface AuctionResult {
  /** Uniform price per zone and interval, in ticks. */
  readonly prices: Readonly<Record<string, readonly number[]>>;
  /** Orders with a positive accepted quantity, in input order. */
  readonly accepted: readonly AcceptedOrder[];
  /** Positive flows only, by interval then link. */
  readonly flows: readonly AuctionFlow[];
  /** Welfare of the published (whole-Wh) allocation, in tick·kWh. */
  readonly welfare: number;
  /** Optimal welfare before rounding quantities to whole Wh, in tick·kWh. */
  readonly welfareUnrounded: number;
  /**
   * Orders with a minimum acceptance ratio (blocks included) that the optimum accepted but that
   * would lose money at every admissible price; they are rejected and the day is re-solved (DA-9).
   */
  readonly paradoxicallyRejected: readonly string[];
  /**
   * Proven relative gap between `welfareUnrounded` and the best possible welfare for the final
   * set of rejected orders: at most `AuctionOptions.relativeGap` unless `maxNodes` stopped the search.
   */
  readonly optimalityGap: number;
}

/** Search limits of block selection. Both are deterministic (no wall-clock limit). */
export interface AuctionOptions {
  /** Stop when welfare is proven within this relative gap of the optimum. Default 1e-9. */
  readonly relativeGap?: number;
  /** Branch-and-bound node limit of each selection solve. Default: unlimited. */
  readonly maxNodes?: number;
}

export interface AuctionInputError {
  readonly ok: false;
  readonly code: 'MATCH_AUCTION_INVALID_INPUT';
  /** JSON path of the offending field, e.g. `orders[3].priceTicks`. */
  readonly field: string;
  readonly message: string;
}

export type AuctionOutcome =
  { readonly ok: true; readonly result: AuctionResult } | AuctionInputError;
