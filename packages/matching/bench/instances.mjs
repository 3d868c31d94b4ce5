// Seeded benchmark instances: a realistic day-ahead day (96 quarter-hours x 5 zones, solar-heavy
// provinces exporting to Bangkok over congested links, 5% block orders) and a continuous-market
// command mix. Shared by bench/run.mjs and the tests that guard the benchmark's shape.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ZONES = ['MEA-BKK', 'PEA-C', 'PEA-N', 'PEA-NE', 'PEA-S'];

/** A day of `orderCount` orders over 96 intervals; `blockShare` of them are block orders. */
export function auctionDay({ seed = 7, orderCount = 100_000, blockShare = 0.05, intervals = 96 } = {}) {
  const r = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const gauss = () => (r() + r() + r() + r() - 2) * 1.2;
  // Bangkok imports; the provinces have surplus solar at midday.
  const demandBias = { 'MEA-BKK': 0.65, 'PEA-C': 0.5, 'PEA-N': 0.4, 'PEA-NE': 0.4, 'PEA-S': 0.5 };
  const zoneLevel = { 'MEA-BKK': 42_000, 'PEA-C': 39_000, 'PEA-N': 36_000, 'PEA-NE': 35_500, 'PEA-S': 38_000 };
  const pairs = [
    ['PEA-C', 'MEA-BKK', 400_000, 300],
    ['PEA-N', 'PEA-C', 250_000, 400],
    ['PEA-NE', 'PEA-C', 250_000, 400],
    ['PEA-S', 'PEA-C', 200_000, 500],
    ['PEA-NE', 'MEA-BKK', 150_000, 600],
  ];
  const links = [];
  for (const [a, b, cap, wheel] of pairs) {
    // Forward direction carries the provinces' exports and is tighter at midday.
    links.push({
      from: a,
      to: b,
      capacityWh: Array.from({ length: intervals }, (_, t) => Math.round(cap * (t > 36 && t < 64 ? 0.6 : 1))),
      wheelingTicks: wheel,
    });
    links.push({ from: b, to: a, capacityWh: Math.round(cap / 2), wheelingTicks: wheel });
  }
  const orders = [];
  for (let i = 0; i < orderCount; i++) {
    const zone = ZONES[int(0, ZONES.length - 1)];
    const t = int(0, intervals - 1);
    const solar = Math.max(0, Math.sin(((t - 24) / 48) * Math.PI));
    const buyShare = demandBias[zone] - (zone === 'MEA-BKK' ? 0 : 0.15 * solar);
    const side = r() < buyShare ? 'buy' : 'sell';
    const level = zoneLevel[zone] * (1 + 0.15 * Math.sin((t / 96) * 2 * Math.PI)) - 3_000 * solar;
    const spread = side === 'buy' ? 1_500 : -1_500;
    const priceTicks = Math.max(0, Math.min(100_000, 10 * Math.round((level + spread + 3_000 * gauss()) / 10)));
    if (r() < blockShare) {
      const length = int(4, 16);
      const start = int(0, intervals - length);
      const q = int(1, 20) * 1_000;
      orders.push({
        id: `b${i}`,
        zone,
        side,
        priceTicks,
        profile: Array.from({ length }, (_, k) => ({ interval: start + k, quantityWh: q })),
        ...(r() < 0.2 ? { minAcceptanceRatio: 0.5 } : {}),
      });
    } else {
      orders.push({ id: `s${i}`, zone, side, priceTicks, interval: t, quantityWh: int(1, 50) * 1_000 });
    }
  }
  return { intervals, priceFloorTicks: 0, priceCapTicks: 100_000, zones: ZONES, links, orders };
}
