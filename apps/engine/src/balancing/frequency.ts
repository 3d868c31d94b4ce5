// The simulated system frequency. The exchange's participants are a slice of Thailand's grid, so
// their total imbalance (metered minus scheduled, over every position with a schedule) is
// scaled by a fixed stiffness into a deviation from 50 Hz: a surplus raises the frequency, a
// shortfall lowers it (GRID-F1). The band decides when the emergency protocol acts.

/** Nominal frequency, mHz. */
export const NOMINAL_MHZ = 50_000;
/** Wh of imbalance per interval that moves the frequency by 1 Hz (1 MWh per 15 min ≈ 4 MW). */
export const STIFFNESS_WH_PER_HZ = 1_000_000n;
/** Outside 49.8–50.2 Hz operators are alerted. */
export const ALERT_LOW_MHZ = 49_800;
export const ALERT_HIGH_MHZ = 50_200;
/** Outside 49.5–50.5 Hz the engine halts the zones behind the excursion (emergency protocol). */
export const BAND_LOW_MHZ = 49_500;
export const BAND_HIGH_MHZ = 50_500;
/** The model saturates at ±3 Hz (load shedding and generator trips would act before that). */
const FLOOR_MHZ = 47_000;
const CEIL_MHZ = 53_000;

export type FrequencyState = 'NORMAL' | 'ALERT' | 'EMERGENCY';

export function frequencyFromImbalance(imbalanceWh: bigint): number {
  const deviation = Number((imbalanceWh * 1000n) / STIFFNESS_WH_PER_HZ);
  return Math.min(CEIL_MHZ, Math.max(FLOOR_MHZ, NOMINAL_MHZ + deviation));
}

export function frequencyState(mhz: number): FrequencyState {
  if (mhz < BAND_LOW_MHZ || mhz > BAND_HIGH_MHZ) return 'EMERGENCY';
  if (mhz < ALERT_LOW_MHZ || mhz > ALERT_HIGH_MHZ) return 'ALERT';
  return 'NORMAL';
}
