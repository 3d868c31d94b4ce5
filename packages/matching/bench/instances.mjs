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
export function auctionDay({
  seed = 7,
  orderCount = 100_000,
  blockShare = 0.05,
  intervals = 96,
} = {}) {
  const r = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const gauss = () => (r() + r() + r() + r() - 2) * 1.2;
  // Bangkok imports; the provinces have surplus solar at midday.
  const demandBias = { 'MEA-BKK': 0.65, 'PEA-C': 0.5, 'PEA-N': 0.4, 'PEA-NE': 0.4, 'PEA-S': 0.5 };
  const zoneLevel = {
    'MEA-BKK': 42_000,
    'PEA-C': 39_000,
    'PEA-N': 36_000,
    'PEA-NE': 35_500,
    'PEA-S': 38_000,
  };
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
      capacityWh: Array.from({ length: intervals }, (_, t) =>
        Math.round(cap * (t > 36 && t < 64 ? 0.6 : 1)),
      ),
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
    const priceTicks = Math.max(
      0,
      Math.min(100_000, 10 * Math.round((level + spread + 3_000 * gauss()) / 10)),
    );
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
      orders.push({
        id: `s${i}`,
        zone,
        side,
        priceTicks,
        interval: t,
        quantityWh: int(1, 50) * 1_000,
      });
    }
  }
  return { intervals, priceFloorTicks: 0, priceCapTicks: 100_000, zones: ZONES, links, orders };
}

/**
 * A continuous-market command stream: about 60% resting limits, 25% crossing orders, 15%
 * cancels and amends, over 5 zones with links. `market` is a fresh market used (untimed) to learn
 * which orders are still open, so cancels and amends target live orders as a real engine's would.
 */
export function bookCommands(market, count, seed = 11) {
  const r = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  // One market level with small zone offsets (below the wheeling charges), so zones trade with
  // each other now and then without one zone's buyers emptying another zone's asks.
  let level = 40_000;
  const offset = ZONES.map((_, z) => 20 * z);
  const open = [];
  const commands = [];
  let next = 0;
  let sweepAt = 1_024;
  for (let i = 0; i < count; i++) {
    const roll = r();
    const z = int(0, ZONES.length - 1);
    if (r() < 0.01) level += 10 * int(-3, 3);
    const mid = level + offset[z];
    let command;
    if (roll < 0.6 || open.length === 0) {
      const side = r() < 0.5 ? 'buy' : 'sell';
      const away = 10 * int(1, 40);
      command = {
        kind: 'place',
        orderId: `o${next++}`,
        accountId: `a${int(0, 999)}`,
        zone: ZONES[z],
        side,
        type: 'limit',
        priceTicks: side === 'buy' ? mid - away : mid + away,
        quantityWh: 1_000 * int(1, 50),
        tif: 'GTC',
      };
    } else if (roll < 0.85) {
      const side = r() < 0.5 ? 'buy' : 'sell';
      const through = 10 * int(0, 30);
      const ioc = r() < 0.6;
      command = {
        kind: 'place',
        orderId: `o${next++}`,
        accountId: `a${int(0, 999)}`,
        zone: ZONES[z],
        side,
        type: 'limit',
        priceTicks: side === 'buy' ? mid + through : mid - through,
        quantityWh: 1_000 * int(1, 80),
        tif: ioc ? 'IOC' : 'GTC',
      };
    } else {
      const k = int(0, open.length - 1);
      const target = open[k];
      const view = market.order(target);
      if (roll < 0.94 || view === undefined) {
        command = { kind: 'cancel', orderId: target, accountId: view?.accountId ?? 'nobody' };
      } else if (r() < 0.6 && view.remainingWh > 1_000) {
        command = {
          kind: 'amend',
          orderId: target,
          accountId: view.accountId,
          quantityWh: view.remainingWh - 1_000,
        };
      } else {
        command = {
          kind: 'amend',
          orderId: target,
          accountId: view.accountId,
          priceTicks: view.priceTicks + (view.side === 'buy' ? -10 : 10),
        };
      }
    }
    commands.push(command);
    for (const e of market.apply(command)) {
      if (e.type === 'accepted') open.push(e.orderId);
    }
    // Forget finished orders now and then so targets stay live (amortised: only when the list
    // has doubled since the last sweep).
    if (open.length > sweepAt) {
      let w = 0;
      for (const id of open) if (market.order(id)?.status === 'open') open[w++] = id;
      open.length = w;
      sweepAt = Math.max(1_024, 2 * w);
    }
  }
  return commands;
}

export function bookConfig() {
  const links = [];
  for (let a = 0; a < ZONES.length; a++) {
    for (let b = 0; b < ZONES.length; b++) {
      if (a !== b && (Math.abs(a - b) === 1 || a === 0 || b === 0)) {
        links.push({
          from: ZONES[a],
          to: ZONES[b],
          capacityWh: 2 ** 40,
          wheelingTicks: 50 * (1 + ((a + b) % 3)),
        });
      }
    }
  }
  return {
    zones: ZONES,
    links,
    spec: {
      tickSizeTicks: 10,
      lotSizeWh: 1_000,
      minQuantityWh: 1_000,
      maxQuantityWh: 1_000_000,
      priceFloorTicks: 0,
      priceCapTicks: 200_000,
    },
  };
}
