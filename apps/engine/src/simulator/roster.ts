// Who the simulator's participants are: a deterministic plan (from a seed) of households,
// rooftop-solar prosumers, businesses, battery owners and a few power plants spread over the
// five zones roughly as Thailand's load is (Bangkok largest), each with the meters a real site
// would have and a THB deposit sized to its consumption. Pure: creating them is simulator.ts.
import type { MeterKind } from '../metering/service.ts';
import { rng, seedOf } from './profiles.ts';

export type Archetype =
  'household' | 'prosumer' | 'battery' | 'business' | 'solarBusiness' | 'plant';

export interface PlannedMeter {
  role: 'site' | 'battery';
  kind: MeterKind;
  capacityW: number;
}

export interface PlannedParticipant {
  index: number;
  email: string;
  name: string;
  zone: string;
  archetype: Archetype;
  solarKWp: number;
  /** Peak demand of the site, W (0 for a plant). */
  loadPeakW: number;
  batteryW: number;
  plant: { kind: 'HYDRO' | 'BIOMASS'; capacityW: number } | null;
  meters: PlannedMeter[];
  depositSatang: bigint;
}

const ZONE_WEIGHTS: [string, number][] = [
  ['MEA-BKK', 0.35],
  ['PEA-C', 0.25],
  ['PEA-NE', 0.15],
  ['PEA-N', 0.15],
  ['PEA-S', 0.1],
];

const FIRST_NAMES = [
  'Somchai',
  'Malee',
  'Niran',
  'Siriporn',
  'Anong',
  'Prasert',
  'Kanya',
  'Wichai',
  'Ratana',
  'Suda',
  'Thanawat',
  'Pimchanok',
  'Arthit',
  'Nattaya',
  'Chaiwat',
  'Wanida',
  'Kittisak',
  'Jintana',
  'Sombat',
  'Duangjai',
  'Pornthip',
  'Surasak',
  'Ploy',
  'Apinya',
  'Boonmee',
];
const FAMILY_NAMES = [
  'Saetang',
  'Wongsakul',
  'Chaiyaporn',
  'Srisuk',
  'Boonyarat',
  'Rattanakorn',
  'Thongdee',
  'Kaewmanee',
  'Phromma',
  'Jaidee',
  'Sukprasert',
  'Inthasorn',
];
const BUSINESSES = [
  'Cold Storage',
  'Rice Mill',
  'Textile Works',
  'Rubber Co.',
  'Hospital',
  'Shopping Plaza',
  'Ice Factory',
  'Hotel',
  'Office Tower',
  'Food Processing',
  'Auto Parts',
  'Data Centre',
];
const PLACES: Record<string, string[]> = {
  'MEA-BKK': ['Bang Na', 'Lat Phrao', 'Thon Buri', 'Sukhumvit', 'Nonthaburi', 'Samut Prakan'],
  'PEA-C': ['Ayutthaya', 'Saraburi', 'Nakhon Pathom', 'Rayong', 'Chon Buri', 'Ratchaburi'],
  'PEA-N': ['Chiang Mai', 'Lampang', 'Phitsanulok', 'Chiang Rai', 'Nan'],
  'PEA-NE': ['Khon Kaen', 'Nakhon Ratchasima', 'Udon Thani', 'Ubon Ratchathani'],
  'PEA-S': ['Hat Yai', 'Surat Thani', 'Phuket', 'Nakhon Si Thammarat'],
};
/** The plants: run-of-river hydro up north, biomass (rice husk, bagasse, palm, waste) elsewhere. */
const PLANTS: { zone: string; kind: 'HYDRO' | 'BIOMASS'; name: string; mw: number }[] = [
  { zone: 'PEA-N', kind: 'HYDRO', name: 'Mae Ngat run-of-river hydro', mw: 0.8 },
  { zone: 'PEA-NE', kind: 'BIOMASS', name: 'Khon Kaen rice-husk biomass', mw: 0.9 },
  { zone: 'PEA-C', kind: 'BIOMASS', name: 'Suphan Buri bagasse cogeneration', mw: 1.0 },
  { zone: 'MEA-BKK', kind: 'BIOMASS', name: 'On Nut waste-to-energy', mw: 0.6 },
  { zone: 'PEA-S', kind: 'BIOMASS', name: 'Surat Thani palm-residue biomass', mw: 0.7 },
  { zone: 'PEA-N', kind: 'HYDRO', name: 'Nan small hydro', mw: 0.4 },
];

const THB = 100n;

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))]!;
}

function weightedZone(r: number): string {
  let acc = 0;
  for (const [zone, w] of ZONE_WEIGHTS) {
    acc += w;
    if (r < acc) return zone;
  }
  return ZONE_WEIGHTS[0]![0];
}

const roundW = (w: number) => Math.ceil(w / 100) * 100;

export function planRoster(count: number, seed: number): PlannedParticipant[] {
  const plants = Math.min(PLANTS.length, Math.max(2, Math.round(count * 0.02)));
  const batteries = Math.max(2, Math.round(count * 0.05));
  const solarBusinesses = Math.max(1, Math.round(count * 0.05));
  const businesses = Math.max(1, Math.round(count * 0.12));
  const prosumers = Math.round(count * 0.4);
  const out: PlannedParticipant[] = [];
  for (let index = 0; index < count; index++) {
    const r = rng(seedOf(seed, 'participant', index));
    const archetype: Archetype =
      index < plants
        ? 'plant'
        : index < plants + batteries
          ? 'battery'
          : index < plants + batteries + solarBusinesses
            ? 'solarBusiness'
            : index < plants + batteries + solarBusinesses + businesses
              ? 'business'
              : index < plants + batteries + solarBusinesses + businesses + prosumers
                ? 'prosumer'
                : 'household';
    const plant = archetype === 'plant' ? PLANTS[index]! : null;
    const zone = plant?.zone ?? weightedZone(r());
    const place = pick(PLACES[zone] ?? ['Bangkok'], r());
    const person = `${pick(FIRST_NAMES, r())} ${pick(FAMILY_NAMES, r())}`;
    let name: string;
    let solarKWp = 0;
    let loadPeakW = 0;
    let batteryW = 0;
    let depositSatang: bigint;
    switch (archetype) {
      case 'plant':
        name = plant!.name;
        depositSatang = 10_000n * THB;
        break;
      case 'battery':
        name = `${person} (solar + battery, ${place})`;
        solarKWp = 5 + Math.round(r() * 5);
        loadPeakW = 3_000 + Math.round(r() * 3_000);
        batteryW = 5_000;
        depositSatang = 3_000n * THB;
        break;
      case 'solarBusiness':
        name = `${place} ${pick(BUSINESSES, r())} (rooftop solar)`;
        solarKWp = 50 + Math.round(r() * 200);
        loadPeakW = 40_000 + Math.round(r() * 120_000);
        depositSatang = 30_000n * THB;
        break;
      case 'business':
        name = `${place} ${pick(BUSINESSES, r())}`;
        loadPeakW = 20_000 + Math.round(r() * 130_000);
        depositSatang = 40_000n * THB;
        break;
      case 'prosumer':
        name = `${person} (rooftop solar, ${place})`;
        solarKWp = 3 + Math.round(r() * 7);
        loadPeakW = 2_500 + Math.round(r() * 3_500);
        depositSatang = 2_000n * THB;
        break;
      case 'household':
        name = `${person} (${place})`;
        loadPeakW = 2_000 + Math.round(r() * 4_000);
        depositSatang = 3_000n * THB;
        break;
    }
    const meters: PlannedMeter[] = [];
    if (plant) {
      meters.push({
        role: 'site',
        kind: plant.kind,
        capacityW: roundW(plant.mw * 1_000_000 * 1.1),
      });
    } else {
      meters.push({
        role: 'site',
        kind: solarKWp > 0 ? 'SOLAR' : 'CONSUMPTION',
        capacityW: roundW(Math.max(solarKWp * 1000, loadPeakW) * 1.3),
      });
    }
    if (batteryW > 0) meters.push({ role: 'battery', kind: 'BATTERY', capacityW: batteryW });
    out.push({
      index,
      email: `sim-${String(index).padStart(4, '0')}@sim.gridtokenx.local`,
      name,
      zone,
      archetype,
      solarKWp,
      loadPeakW,
      batteryW,
      plant: plant ? { kind: plant.kind, capacityW: Math.round(plant.mw * 1_000_000) } : null,
      meters,
      depositSatang,
    });
  }
  return out;
}
