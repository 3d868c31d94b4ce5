// A fixed colour per bidding zone, so a zone reads the same in every chart and on the grid map;
// zones the engine adds later get a neutral colour until they are given one here.
const ZONE_COLORS: Record<string, string> = {
  'MEA-BKK': '#f5b700',
  'PEA-C': '#4c9bff',
  'PEA-N': '#37c98b',
  'PEA-NE': '#b07cff',
  'PEA-S': '#2fd0d8',
};

export function zoneColor(code: string): string {
  return ZONE_COLORS[code] ?? '#9aa7bf';
}
