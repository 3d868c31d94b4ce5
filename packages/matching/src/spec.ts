// Validation of market specs and configurations. Configuration errors are caller bugs (the engine
// builds configs from its own data), so the market constructor throws; the checks are also
// exported as values so the command-line tools can report the offending field.
import type { LinkConfig, MarketConfig, MarketSpec } from './types.ts';

export type ConfigCheck = { ok: true } | { ok: false; field: string; message: string };

const bad = (field: string, message: string): ConfigCheck => ({ ok: false, field, message });

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function checkMarketSpec(spec: MarketSpec, path = 'spec'): ConfigCheck {
  if (typeof spec !== 'object' || spec === null) return bad(path, 'must be an object');
  if (!isInt(spec.tickSizeTicks) || spec.tickSizeTicks <= 0)
    return bad(`${path}.tickSizeTicks`, 'must be a positive safe integer');
  if (!isInt(spec.lotSizeWh) || spec.lotSizeWh <= 0)
    return bad(`${path}.lotSizeWh`, 'must be a positive safe integer');
  if (!isInt(spec.minQuantityWh) || spec.minQuantityWh <= 0)
    return bad(`${path}.minQuantityWh`, 'must be a positive safe integer');
  if (!isInt(spec.maxQuantityWh) || spec.maxQuantityWh < spec.minQuantityWh)
    return bad(`${path}.maxQuantityWh`, 'must be a safe integer >= minQuantityWh');
  if (!isInt(spec.priceFloorTicks)) return bad(`${path}.priceFloorTicks`, 'must be a safe integer');
  if (!isInt(spec.priceCapTicks) || spec.priceCapTicks < spec.priceFloorTicks)
    return bad(`${path}.priceCapTicks`, 'must be a safe integer >= priceFloorTicks');
  // Effective prices add wheeling to a price; keep every sum far inside the safe range.
  if (Math.abs(spec.priceFloorTicks) > 2 ** 40 || Math.abs(spec.priceCapTicks) > 2 ** 40)
    return bad(`${path}.priceCapTicks`, 'must be within ±2^40');
  return { ok: true };
}

export function checkMarketConfig(config: MarketConfig): ConfigCheck {
  if (typeof config !== 'object' || config === null) return bad('config', 'must be an object');
  if (!Array.isArray(config.zones) || config.zones.length === 0)
    return bad('zones', 'must be a non-empty array of zone names');
  const seen = new Set<string>();
  for (const [i, zone] of config.zones.entries()) {
    if (typeof zone !== 'string' || zone.length === 0)
      return bad(`zones[${i}]`, 'must be a non-empty string');
    if (seen.has(zone)) return bad(`zones[${i}]`, `duplicate zone ${zone}`);
    seen.add(zone);
  }
  if (!Array.isArray(config.links)) return bad('links', 'must be an array');
  const links: readonly LinkConfig[] = config.links as readonly LinkConfig[];
  const pairs = new Set<string>();
  for (const [i, link] of links.entries()) {
    if (typeof link !== 'object' || link === null) return bad(`links[${i}]`, 'must be an object');
    if (typeof link.from !== 'string' || !seen.has(link.from))
      return bad(`links[${i}].from`, 'must name a zone');
    if (typeof link.to !== 'string' || !seen.has(link.to) || link.to === link.from)
      return bad(`links[${i}].to`, 'must name another zone');
    const key = `${link.from}\u0000${link.to}`;
    if (pairs.has(key)) return bad(`links[${i}]`, 'duplicate link direction');
    pairs.add(key);
    if (!isInt(link.capacityWh) || link.capacityWh < 0)
      return bad(`links[${i}].capacityWh`, 'must be a non-negative safe integer');
    if (!isInt(link.wheelingTicks) || link.wheelingTicks < 0 || link.wheelingTicks > 2 ** 40)
      return bad(`links[${i}].wheelingTicks`, 'must be a non-negative integer up to 2^40');
  }
  return checkMarketSpec(config.spec);
}
