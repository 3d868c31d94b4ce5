// Seeded random command streams for the continuous market: realistic mixes (resting limits,
// crossing orders, cancels, amends) plus the awkward cases (self-trades, FOK, post-only, wrong
// accounts, off-tick prices, link capacity changes, zone halts) that a differential test must hit.
import type { MarketCommand, MarketConfig } from '../src/index.ts';
import { rng } from './rng.ts';

export function randomConfig(seed: number): MarketConfig {
  const r = rng(seed ^ 0x5eed);
  const zoneCount = r.int(1, 5);
  const zones = ['MEA-BKK', 'PEA-C', 'PEA-N', 'PEA-NE', 'PEA-S'].slice(0, zoneCount);
  const links = [];
  for (const from of zones) {
    for (const to of zones) {
      if (from !== to && r.chance(0.6)) {
        links.push({ from, to, capacityWh: r.int(0, 6) * 500, wheelingTicks: r.int(0, 4) * 5 });
      }
    }
  }
  return {
    zones,
    links,
    spec: {
      tickSizeTicks: 5,
      lotSizeWh: 100,
      minQuantityWh: 100,
      maxQuantityWh: 5_000,
      priceFloorTicks: 1_000,
      priceCapTicks: 1_200,
    },
  };
}

export function randomCommands(seed: number, count: number, config: MarketConfig): MarketCommand[] {
  const r = rng(seed);
  const accounts = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
  const owner = new Map<string, string>();
  const ids: string[] = [];
  const commands: MarketCommand[] = [];
  const price = (): number => {
    if (r.chance(0.02)) return r.pick([995, 1_203, 1_101, 1_250]);
    return 1_000 + 5 * Math.round(40 * Math.min(1, Math.max(0, 0.5 + (r.next() - r.next()) * 0.6)));
  };
  const quantity = (): number =>
    r.chance(0.02) ? r.pick([50, 150, 5_100, 0]) : 100 * r.int(1, 20);
  for (let i = 0; i < count; i++) {
    const roll = r.next();
    if (roll < 0.62 || ids.length === 0) {
      const id = `o${seed}-${i}`;
      const account = r.pick(accounts);
      const reuse = ids.length > 0 && r.chance(0.005);
      const orderId = reuse ? r.pick(ids) : id;
      const market = r.chance(0.05);
      const tif = market
        ? r.pick(['IOC', 'FOK', 'GTC'] as const)
        : r.pick(['GTC', 'GTC', 'GTC', 'GTC', 'IOC', 'FOK'] as const);
      commands.push({
        kind: 'place',
        orderId,
        accountId: account,
        zone: r.chance(0.003) ? 'NOWHERE' : r.pick(config.zones),
        side: r.chance(0.5) ? 'buy' : 'sell',
        type: market ? 'market' : 'limit',
        priceTicks: price(),
        quantityWh: quantity(),
        tif,
        ...(r.chance(0.08) ? { postOnly: true } : {}),
      });
      if (!reuse) {
        ids.push(id);
        owner.set(id, account);
      }
    } else if (roll < 0.8) {
      const orderId = r.chance(0.02) ? 'missing' : r.pick(ids.slice(-40));
      const right = owner.get(orderId) ?? 'a1';
      commands.push({
        kind: 'cancel',
        orderId,
        accountId: r.chance(0.05) ? r.pick(accounts) : right,
      });
    } else if (roll < 0.97) {
      const orderId = r.pick(ids.slice(-40));
      const right = owner.get(orderId) ?? 'a1';
      const what = r.int(0, 2);
      commands.push({
        kind: 'amend',
        orderId,
        accountId: r.chance(0.03) ? r.pick(accounts) : right,
        ...(what !== 1 ? { quantityWh: quantity() } : {}),
        ...(what !== 0 ? { priceTicks: price() } : {}),
      });
    } else if (roll < 0.995 && config.links.length > 0) {
      const link = r.pick(config.links);
      commands.push({
        kind: 'setLinkCapacity',
        from: link.from,
        to: link.to,
        capacityWh: r.chance(0.05) ? -1 : r.int(0, 8) * 500,
      });
    } else {
      const zone = r.pick(config.zones);
      commands.push(r.chance(0.15) ? { kind: 'haltZone', zone } : { kind: 'resumeZone', zone });
    }
  }
  return commands;
}
