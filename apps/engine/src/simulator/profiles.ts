// Realistic Thai energy profiles for the simulator, as pure functions of time (ICT) and a seeded
// random stream: rooftop solar peaking around 12:30 and nothing at night, lower and patchier in
// the rainy season (mid-May to October); household load with a morning bump and an evening
// air-conditioning peak; business load on weekday office hours; batteries charging on midday
// sun and discharging into the evening peak; steady run-of-river hydro and biomass plants. And
// the price level traders quote around: the time-of-use tariff's shape (about 2.6 THB/kWh
// off-peak, 4–6 THB/kWh on-peak).

const ICT_OFFSET_MS = 7 * 3600_000;
/** One interval's energy at 1 W: 0.25 Wh. */
const WH_PER_W_INTERVAL = 0.25;

/** A small seeded generator (mulberry32): the same seed gives the same stream. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of strings and numbers, to seed per-participant, per-interval streams. */
export function seedOf(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export interface LocalTime {
  /** Hours since local midnight, fractional (the interval's midpoint when given a start). */
  hour: number;
  weekday: boolean;
  /** 1–12. */
  month: number;
}

export function localTime(ms: number): LocalTime {
  const d = new Date(ms + ICT_OFFSET_MS);
  const day = d.getUTCDay();
  return {
    hour: d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600,
    weekday: day !== 0 && day !== 6,
    month: d.getUTCMonth() + 1,
  };
}

export type Season = 'hot' | 'rainy' | 'cool';

/** Thailand's three seasons: hot March–mid May, rainy mid May–October, cool November–February. */
export function seasonOf(ms: number): Season {
  const { month } = localTime(ms);
  const day = new Date(ms + ICT_OFFSET_MS).getUTCDate();
  if (month >= 3 && (month < 5 || (month === 5 && day < 15))) return 'hot';
  if (month >= 5 && month <= 10) return 'rainy';
  return 'cool';
}

/**
 * Rooftop solar output (W) of `kWp` at an instant: a bell from about 06:15 to 18:15, peaking
 * near 12:15 at ~78 % of nameplate on a clear day; the rainy season averages ~30 % less and
 * passing clouds cut it hard; the hot season's haze takes a little.
 */
export function solarW(ms: number, kWp: number, random: () => number): number {
  const { hour } = localTime(ms);
  const rise = 6.25;
  const set = 18.25;
  if (hour <= rise || hour >= set) return 0;
  const shape = Math.pow(Math.sin((Math.PI * (hour - rise)) / (set - rise)), 1.4);
  const season = seasonOf(ms);
  const clear = season === 'rainy' ? 0.7 : season === 'hot' ? 0.93 : 1;
  const clouds =
    season === 'rainy'
      ? 0.45 + 0.55 * random()
      : season === 'hot'
        ? 0.85 + 0.15 * random()
        : 0.9 + 0.1 * random();
  return kWp * 1000 * 0.78 * shape * clear * clouds;
}

/** Household demand (W): night base, morning bump, quiet day, evening AC peak (18–22). */
export function householdW(ms: number, peakW: number, random: () => number): number {
  const { hour, weekday } = localTime(ms);
  const hot = seasonOf(ms) !== 'cool';
  let f: number;
  if (hour < 5) f = hot ? 0.45 : 0.2;
  else if (hour < 6) f = 0.25;
  else if (hour < 8.5) f = 0.45;
  else if (hour < 17) f = weekday ? 0.22 : 0.5;
  else if (hour < 18) f = 0.5;
  else if (hour < 22) f = 0.9 + 0.1 * Math.sin(((hour - 18) / 4) * Math.PI);
  else f = hot ? 0.65 : 0.4;
  return peakW * f * (0.85 + 0.3 * random());
}

/** Business demand (W): weekday office hours 08–18 near peak, shoulders, low nights/weekends. */
export function businessW(ms: number, peakW: number, random: () => number): number {
  const { hour, weekday } = localTime(ms);
  let f: number;
  if (!weekday) f = hour >= 9 && hour < 17 ? 0.35 : 0.15;
  else if (hour < 7) f = 0.15;
  else if (hour < 8) f = 0.5;
  else if (hour < 12) f = 0.9;
  else if (hour < 13) f = 0.75;
  else if (hour < 17) f = 0.95;
  else if (hour < 19) f = 0.55;
  else f = 0.2;
  return peakW * f * (0.92 + 0.16 * random());
}

/** Battery schedule (W, + discharge, − charge): charge 10–14 on sun, discharge 18–22. */
export function batteryW(ms: number, powerW: number): number {
  const { hour } = localTime(ms);
  if (hour >= 10 && hour < 14) return -powerW * 0.6;
  if (hour >= 18 && hour < 22) return powerW * 0.6;
  return 0;
}

/** Run-of-river hydro (North) and biomass plants: steady, hydro higher in the rainy season. */
export function plantW(
  kind: 'HYDRO' | 'BIOMASS',
  ms: number,
  capacityW: number,
  random: () => number,
): number {
  if (kind === 'HYDRO') {
    const base = seasonOf(ms) === 'rainy' ? 0.85 : 0.6;
    return capacityW * (base + 0.08 * random());
  }
  return capacityW * (0.72 + 0.12 * random());
}

/** Average power over an interval → Wh, never above the meter's capacity × 0.25 h. */
export function intervalWh(averageW: number, capacityW: number): number {
  const wh = Math.round(Math.max(0, averageW) * WH_PER_W_INTERVAL);
  return Math.min(wh, Math.floor(capacityW * WH_PER_W_INTERVAL));
}

/**
 * The price level traders quote around (ticks of 0.0001 THB/kWh, on the 0.01 THB tick): the
 * off-peak tariff at night and on weekends, cheaper midday when rooftops flood the market, the
 * on-peak level through the working day and its top in the evening.
 */
export function referencePriceTicks(ms: number): number {
  const { hour, weekday } = localTime(ms);
  let thb: number;
  if (hour < 9 || hour >= 22) thb = 2.6;
  else if (!weekday) thb = hour >= 18 ? 3.6 : 3.0;
  else if (hour >= 11 && hour < 14) thb = 3.9;
  else if (hour >= 18 && hour < 21) thb = 5.6;
  else thb = 4.6;
  return Math.round(thb * 100) * 100;
}
