// Names for what the engine's procedures return, inferred from the router type (no engine code
// is bundled), and the query keys under which pages cache them. Keys under 'private' belong to
// the signed-in account and are dropped on sign-out.
import type { trpc } from './trpc';

type Client = typeof trpc;
type Out<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type Me = NonNullable<Out<Client['auth']['me']['query']>>;
export type Role = Me['role'];
export type ZonesData = Out<Client['market']['zones']['query']>;
export type Zone = ZonesData['zones'][number];
export type MarketParams = ZonesData['params'];
export type LinkInfo = ZonesData['links'][number];
export type IntervalsData = Out<Client['market']['intervals']['query']>;
export type OverviewData = Out<Client['market']['overview']['query']>;
export type OverviewCell = OverviewData['cells'][number];
export type BookSnapshot = Out<Client['market']['book']['query']>;
export type PublicTrade = Out<Client['market']['trades']['query']>[number];
export type Candle = Out<Client['market']['candles']['query']>[number];
export type OpenOrder = Out<Client['orders']['mine']['query']>[number];
export type Fill = Out<Client['orders']['fills']['query']>[number];
export type PlaceInput = Parameters<Client['orders']['place']['mutate']>[0];
export type Balances = Out<Client['wallet']['balances']['query']>;
export type HistoryRow = Out<Client['wallet']['history']['query']>[number];
export type GridState = Out<Client['grid']['state']['query']>;
export type GridLink = GridState['links'][number];
export type DayAheadMine = Out<Client['dayAhead']['mine']['query']>;
export type DayAheadOrder = DayAheadMine['orders'][number];
export type DayAheadResults = Out<Client['dayAhead']['results']['query']>;
export type DayAheadCalendar = Out<Client['dayAhead']['calendar']['query']>;
export type DayAheadSubmitOrder = Parameters<
  Client['dayAhead']['submit']['mutate']
>[0]['orders'][number];
export type ChainHead = Out<Client['chain']['head']['query']>;
export type ChainBlockRow = Out<Client['chain']['blocks']['query']>[number];
export type ChainBlock = Out<Client['chain']['block']['query']>;
export type ChainTx = Out<Client['chain']['tx']['query']>;
export type Validator = Out<Client['chain']['validators']['query']>[number];
export type ConsensusView = Out<Client['chain']['consensus']['query']>;
export type GridImbalance = Out<Client['grid']['imbalance']['query']>;
export type ZoneImbalance = GridImbalance['zones'][number];
export type FlowRow = GridImbalance['links'][number];
export type Reserves = Out<Client['grid']['reserves']['query']>;
export type ReserveOffer = Reserves['offers'][number];
export type ReserveActivation = Reserves['activations'][number];
export type GridEvent = Out<Client['grid']['events']['query']>[number];
export type AccountRow = Out<Client['admin']['accounts']['query']>[number];
export type RegistryMeter = Out<Client['meter']['list']['query']>[number];
export type MyMeter = Out<Client['meter']['mine']['query']>[number];
export type MyCertificate = Out<Client['rec']['mine']['query']>[number];
export type CertificateRequest = Out<Client['rec']['requests']['query']>[number];
export type RegistryCertificate = Out<Client['rec']['registry']['query']>[number];
export type Carbon = Out<Client['rec']['carbon']['query']>;
export type ProposalList = Out<Client['gov']['list']['query']>;
export type Proposal = ProposalList['proposals'][number];
export type GovParameters = Out<Client['gov']['parameters']['query']>;
export type GovAction = Parameters<Client['gov']['propose']['mutate']>[0]['action'];
export type ReportRow = Out<Client['reports']['list']['query']>[number];
export type DailyReport = Out<Client['reports']['daily']['query']>;

/** A trade as the `trades:` and `market` rooms send it (times in epoch ms). */
export interface TradeMessage {
  id: string;
  intervalStart: number;
  buyZone: string;
  sellZone: string;
  priceTicks: number;
  quantityWh: number;
  wheelingTicks: number;
  takerSide: 'buy' | 'sell';
  time: number;
}

/** A fill as the user room sends it. */
export interface FillMessage extends TradeMessage {
  side: 'buy' | 'sell';
  orderId: string;
}

export interface DepthLevel {
  priceTicks: number;
  quantityWh: number;
  orderCount: number;
}

export const keys = {
  me: ['me'] as const,
  zones: ['zones'] as const,
  intervals: ['intervals'] as const,
  overview: ['overview'] as const,
  book: (zone: string, t: number) => ['book', zone, t] as const,
  trades: (zone: string, t: number) => ['trades', zone, t] as const,
  candles: (zone: string, t: number) => ['candles', zone, t] as const,
  grid: ['grid'] as const,
  gridImbalance: (t: number | null) => ['grid', 'imbalance', t] as const,
  gridEvents: ['grid', 'events'] as const,
  reserves: ['grid', 'reserves'] as const,
  recRegistry: (filter: string) => ['rec', 'registry', filter] as const,
  proposals: ['gov', 'proposals'] as const,
  govParameters: ['gov', 'parameters'] as const,
  reportKey: ['reports', 'publicKey'] as const,
  staff: ['private', 'staff'] as const,
  accounts: (search: string, role: string) =>
    ['private', 'staff', 'accounts', search, role] as const,
  meters: (filter: string) => ['private', 'staff', 'meters', filter] as const,
  recRequests: (status: string) => ['private', 'staff', 'recRequests', status] as const,
  reports: ['private', 'staff', 'reports'] as const,
  report: (day: string) => ['private', 'staff', 'report', day] as const,
  dayAheadCalendar: (day: string | null) => ['dayAhead', 'calendar', day] as const,
  dayAheadResults: (day: string) => ['dayAhead', 'results', day] as const,
  chainHead: ['chain', 'head'] as const,
  chainBlocks: (before: number | null) => ['chain', 'blocks', before] as const,
  chainBlock: (height: number) => ['chain', 'block', height] as const,
  chainTx: (hash: string) => ['chain', 'tx', hash] as const,
  validators: ['chain', 'validators'] as const,
  consensus: ['private', 'staff', 'consensus'] as const,
  private: ['private'] as const,
  openOrders: ['private', 'orders', 'open'] as const,
  fills: ['private', 'fills'] as const,
  balances: ['private', 'balances'] as const,
  history: ['private', 'history'] as const,
  myRecs: ['private', 'recs'] as const,
  myMeters: ['private', 'meters'] as const,
  carbon: ['private', 'carbon'] as const,
  dayAheadMine: (day: string) => ['private', 'dayAhead', day] as const,
};

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
