// First-run data: the five bidding zones, the inter-zone links EGAT allocates to the P2P market,
// the market parameters, and one demo account per role. Runs only on an empty database.
import { generateAccountKey, type KeyVault } from '../auth/keys.ts';
import { hashPassword } from '../auth/password.ts';
import type { Role } from './generated/enums.ts';
import type { PrismaClient } from './generated/client.ts';
import { EMISSION_FACTOR_KEY, TGO_GRID_EMISSION_FACTOR } from '../certificates/carbon.ts';

/** 1 MW held for a 15-minute interval is 250 000 Wh. */
const WH_PER_MW_INTERVAL = 250_000n;

export const SEED_ZONES = [
  {
    code: 'MEA-BKK',
    nameEn: 'Bangkok Metropolitan',
    nameTh: 'กรุงเทพฯ และปริมณฑล',
    authority: 'MEA',
  },
  { code: 'PEA-C', nameEn: 'Central', nameTh: 'ภาคกลาง', authority: 'PEA' },
  { code: 'PEA-N', nameEn: 'North', nameTh: 'ภาคเหนือ', authority: 'PEA' },
  { code: 'PEA-NE', nameEn: 'Northeast', nameTh: 'ภาคตะวันออกเฉียงเหนือ', authority: 'PEA' },
  { code: 'PEA-S', nameEn: 'South', nameTh: 'ภาคใต้', authority: 'PEA' },
] as const;

/**
 * Two-way corridors of the EGAT 500/230 kV grid, with the transfer capacity set aside for
 * peer-to-peer trading (a small share of the physical rating) and the wheeling charge in ticks
 * of 0.0001 THB per kWh.
 */
const SEED_CORRIDORS = [
  { a: 'MEA-BKK', b: 'PEA-C', mw: 20n, wheelingTicks: 1_500 },
  { a: 'PEA-C', b: 'PEA-N', mw: 8n, wheelingTicks: 2_500 },
  { a: 'PEA-C', b: 'PEA-NE', mw: 10n, wheelingTicks: 2_500 },
  { a: 'PEA-C', b: 'PEA-S', mw: 6n, wheelingTicks: 3_000 },
  { a: 'PEA-N', b: 'PEA-NE', mw: 4n, wheelingTicks: 3_000 },
] as const;

/** Market parameters; prices in ticks (0.0001 THB/kWh), energy in Wh. */
export const SEED_PARAMETERS: Record<string, bigint> = {
  price_floor_ticks: 0n,
  price_cap_ticks: 200_000n, // 20 THB/kWh
  tick_size_ticks: 100n, // 0.01 THB/kWh
  lot_size_wh: 100n, // 0.1 kWh
  min_quantity_wh: 100n,
  max_quantity_wh: 10_000_000n, // 10 MWh
  fee_ppm: 500n, // 0.05 % of notional, each side
  [EMISSION_FACTOR_KEY]: TGO_GRID_EMISSION_FACTOR.mgPerKwh, // TGO 2026: 0.4750 kgCO2e/kWh
};

export interface DemoAccount {
  role: Role;
  email: string;
  name: string;
  password: string;
  /** The grid authority an AUTHORITY login acts for. */
  authority?: 'EGAT' | 'MEA' | 'PEA' | 'ERC';
}

/** Demo logins printed at start-up; change or remove them on any real deployment. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    role: 'TRADER',
    email: 'trader@gridtokenx.local',
    name: 'Somchai (prosumer)',
    password: 'trader-demo-2026',
  },
  {
    role: 'TRADER',
    email: 'trader2@gridtokenx.local',
    name: 'Malee (consumer)',
    password: 'trader2-demo-2026',
  },
  {
    role: 'OPERATOR',
    email: 'operator@gridtokenx.local',
    name: 'EGAT control room',
    password: 'operator-demo-2026',
  },
  {
    role: 'ADMIN',
    email: 'admin@gridtokenx.local',
    name: 'Market administrator',
    password: 'admin-demo-2026',
  },
  {
    role: 'AUTHORITY',
    email: 'authority@gridtokenx.local',
    name: 'ERC regulator',
    password: 'authority-demo-2026',
    authority: 'ERC',
  },
  {
    role: 'AUTHORITY',
    email: 'egat@gridtokenx.local',
    name: 'EGAT (transmission, REC issuer)',
    password: 'egat-demo-2026',
    authority: 'EGAT',
  },
  {
    role: 'AUTHORITY',
    email: 'mea@gridtokenx.local',
    name: 'MEA metering (Bangkok distribution)',
    password: 'mea-demo-2026',
    authority: 'MEA',
  },
  {
    role: 'AUTHORITY',
    email: 'pea@gridtokenx.local',
    name: 'PEA metering (provincial distribution)',
    password: 'pea-demo-2026',
    authority: 'PEA',
  },
];

export interface SeedResult {
  seeded: boolean;
}

/** THB each demo trader starts with (credited on chain by the settlement bank), in satang. */
export const DEMO_DEPOSIT_SATANG = 2_000_000n; // 20,000 THB

/** Seeds an empty database (no zones yet) in one transaction; leaves a used one untouched. */
export async function seedIfEmpty(prisma: PrismaClient, vault: KeyVault): Promise<SeedResult> {
  if ((await prisma.zone.count()) > 0) return { seeded: false };
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  await prisma.$transaction(async (tx) => {
    await tx.zone.createMany({ data: SEED_ZONES.map((z) => ({ ...z })) });
    await tx.link.createMany({
      data: SEED_CORRIDORS.flatMap((c) => [
        {
          fromZone: c.a,
          toZone: c.b,
          capacityWh: c.mw * WH_PER_MW_INTERVAL,
          wheelingTicks: c.wheelingTicks,
        },
        {
          fromZone: c.b,
          toZone: c.a,
          capacityWh: c.mw * WH_PER_MW_INTERVAL,
          wheelingTicks: c.wheelingTicks,
        },
      ]),
    });
    await tx.marketParameter.createMany({
      data: Object.entries(SEED_PARAMETERS).map(([key, value]) => ({ key, value })),
    });
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const key = generateAccountKey();
      const created = await tx.account.create({
        data: {
          email: a.email,
          name: a.name,
          role: a.role,
          authority: a.authority ?? null,
          passwordHash: hashes[i] ?? '',
          chainPublicKey: key.publicKey,
        },
      });
      await tx.account.update({
        where: { id: created.id },
        data: { chainKeyCiphertext: vault.seal(created.id, key.secretKey) },
      });
      await tx.settlementOutbox.create({
        data: { key: `mandate:${created.id}`, kind: 'mandate', payload: { accountId: created.id } },
      });
      if (a.role === 'TRADER') {
        await tx.settlementOutbox.create({
          data: {
            key: `deposit:seed-${created.id}`,
            kind: 'deposit',
            payload: {
              accountId: created.id,
              depositRef: `seed-${created.id}`,
              amountSatang: DEMO_DEPOSIT_SATANG.toString(),
            },
          },
        });
      }
    }
    // The exchange's clearing house: counterparty of the day-ahead auction. Not a login.
    await tx.account.create({
      data: {
        email: 'clearing@gridtokenx.local',
        name: 'GridTokenX clearing house',
        role: 'ADMIN',
        passwordHash: '!',
        disabledAt: new Date(),
      },
    });
    await tx.auditLog.create({ data: { action: 'seed', details: { zones: SEED_ZONES.length } } });
  });
  return { seeded: true };
}
