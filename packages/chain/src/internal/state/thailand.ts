// The genesis the engine starts from: EGAT, MEA, PEA and ERC as the four authorities with their
// roles, the five bidding zones with their distribution operators, and EGAT's inter-zone
// corridors (both directions) with the capacity set aside for peer-to-peer trading.
import type { ChainParams } from './params.ts';
import type { GenesisAccount, GenesisConfig, GenesisLink } from './genesis.ts';

/** 1 MW held for a 15-minute interval is 250,000 Wh. */
export const WH_PER_MW_INTERVAL = 250_000n;

export const THAI_ZONES = [
  { id: 'MEA-BKK', name: 'Bangkok Metropolitan', operator: 'MEA' },
  { id: 'PEA-C', name: 'Central', operator: 'PEA' },
  { id: 'PEA-N', name: 'North', operator: 'PEA' },
  { id: 'PEA-NE', name: 'Northeast', operator: 'PEA' },
  { id: 'PEA-S', name: 'South', operator: 'PEA' },
] as const;

export const THAI_CORRIDORS = [
  { a: 'MEA-BKK', b: 'PEA-C', mw: 20n, wheelingTicks: 1_500 },
  { a: 'PEA-C', b: 'PEA-N', mw: 8n, wheelingTicks: 2_500 },
  { a: 'PEA-C', b: 'PEA-NE', mw: 10n, wheelingTicks: 2_500 },
  { a: 'PEA-C', b: 'PEA-S', mw: 6n, wheelingTicks: 3_000 },
  { a: 'PEA-N', b: 'PEA-NE', mw: 4n, wheelingTicks: 3_000 },
] as const;

export type AuthorityName = 'EGAT' | 'MEA' | 'PEA' | 'ERC';

export interface ThailandGenesisOptions {
  readonly chainId: string;
  readonly genesisTimeMs: number;
  /** The four authorities' addresses (hex ed25519 public keys). */
  readonly authorities: Readonly<Record<AuthorityName, string>>;
  /** Authority weights; 25 each by default, so any three of four hold more than 2/3. */
  readonly weights?: Partial<Readonly<Record<AuthorityName, number>>>;
  /** Other accounts: the settlement bank, the exchange's clearing account, participants. */
  readonly accounts?: readonly GenesisAccount[];
  readonly links?: readonly GenesisLink[];
  readonly params?: Partial<ChainParams>;
}

export function thailandGenesis(o: ThailandGenesisOptions): GenesisConfig {
  const a = o.authorities;
  const w = (n: AuthorityName): number => o.weights?.[n] ?? 25;
  return {
    chainId: o.chainId,
    genesisTimeMs: o.genesisTimeMs,
    authorities: [
      {
        name: 'EGAT',
        address: a.EGAT,
        weight: w('EGAT'),
        roles: ['GRID_OPERATOR', 'REC_ISSUER', 'BALANCING'],
      },
      { name: 'MEA', address: a.MEA, weight: w('MEA'), roles: ['METERING'] },
      { name: 'PEA', address: a.PEA, weight: w('PEA'), roles: ['METERING'] },
      { name: 'ERC', address: a.ERC, weight: w('ERC'), roles: ['REGULATOR'] },
    ],
    accounts: o.accounts ?? [],
    zones: THAI_ZONES.map((z) => ({ id: z.id, name: z.name, operator: a[z.operator] })),
    links:
      o.links ??
      THAI_CORRIDORS.flatMap((c) => [
        {
          from: c.a,
          to: c.b,
          capacityWh: c.mw * WH_PER_MW_INTERVAL,
          wheelingTicks: c.wheelingTicks,
        },
        {
          from: c.b,
          to: c.a,
          capacityWh: c.mw * WH_PER_MW_INTERVAL,
          wheelingTicks: c.wheelingTicks,
        },
      ]),
    ...(o.params === undefined ? {} : { params: o.params }),
  };
}
