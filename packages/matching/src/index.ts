// Public API of @gridtokenx/matching: the continuous market of one delivery interval and the
// day-ahead auction. Only what is named here is supported; everything in src/internal may change.
export { MatchingError, REJECT_CODES } from './errors.ts';
export type { MatchingErrorCode, RejectCode } from './errors.ts';
export { ContinuousMarket, createMarket, restoreMarket } from './market.ts';
export { checkMarketConfig, checkMarketSpec } from './spec.ts';
export type { ConfigCheck } from './spec.ts';
export type {
  AcceptedEvent,
  AmendCommand,
  AmendedEvent,
  BookEntry,
  CancelCommand,
  CancelReason,
  CancelledEvent,
  CloseCommand,
  Depth,
  DepthLevel,
  ExpiredEvent,
  FillEvent,
  HaltZoneCommand,
  LinkCapacityEvent,
  LinkConfig,
  MarketClosedEvent,
  MarketCommand,
  MarketConfig,
  MarketEvent,
  MarketSnapshot,
  MarketSpec,
  OrderStatus,
  OrderType,
  OrderView,
  PlaceCommand,
  RejectedEvent,
  ResumeZoneCommand,
  SetLinkCapacityCommand,
  Side,
  TimeInForce,
  ZoneBook,
  ZoneStateEvent,
} from './types.ts';
export { clearAuction } from './auction.ts';
export type {
  AcceptedOrder,
  AuctionFlow,
  AuctionInput,
  AuctionInputError,
  AuctionLinkInput,
  AuctionOptions,
  AuctionOrder,
  AuctionOutcome,
  AuctionResult,
  BlockAuctionOrder,
  SimpleAuctionOrder,
} from './auction-types.ts';
