// Thailand's grid emission factor and the emissions avoided by renewable energy. The factor is a
// governed market parameter (`grid_emission_factor_mg_per_kwh`, mg CO2e per kWh); until a
// proposal changes it, the engine uses the value TGO published, named here with its source.

/** The market parameter that holds the grid emission factor, in mg CO2e per kWh. */
export const EMISSION_FACTOR_KEY = 'grid_emission_factor_mg_per_kwh';

/**
 * Thailand Greenhouse Gas Management Organization (TGO): emission factor of grid electricity for
 * Scope 2 (fuel combustion plus transmission and distribution losses), 0.4750 kgCO2e/kWh,
 * approved by TGO's board in November 2025 and in force from 1 January 2026 (the earlier
 * 0.4999 kgCO2e/kWh may be used until 31 March 2026).
 */
export const TGO_GRID_EMISSION_FACTOR = {
  mgPerKwh: 475_000n,
  year: 2026,
  publisher: 'Thailand Greenhouse Gas Management Organization (TGO)',
  source:
    'TGO grid electricity emission factor for Scope 2 (generation and T&D losses), 0.4750 kgCO2e/kWh, in force from 1 January 2026',
} as const;

/** Upper bound a governed factor may take (2 kg CO2e per kWh, above any coal-only grid). */
export const MAX_EMISSION_FACTOR_MG_PER_KWH = 2_000_000n;

/**
 * Grams of CO2e avoided by `wh` of renewable energy at `mgPerKwh`: Wh × mg/kWh ÷ 10^6, rounded
 * down to a whole gram (an avoided-emissions claim is never rounded up).
 */
export function avoidedGrams(wh: bigint, mgPerKwh: bigint): bigint {
  if (wh <= 0n) return 0n;
  return (wh * mgPerKwh) / 1_000_000n;
}
