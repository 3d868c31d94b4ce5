'use client';
// A schematic map of Thailand's five bidding zones (not to scale): each zone filled by its last
// price in the next interval and outlined red when halted; each corridor drawn by how much of its
// transfer capacity is used, thick enough to read across a control room.
import type { GridLink, GridState } from '../../lib/api';
import { useI18n } from '../../lib/i18n';

/** Outline and label position of each zone on a 420 × 640 canvas. */
const SHAPES: Record<string, { path: string; label: [number, number] }> = {
  'PEA-N': {
    path: 'M92 40 L170 18 L236 44 L252 118 L238 196 L186 226 L126 222 L96 170 L78 104 Z',
    label: [166, 120],
  },
  'PEA-NE': {
    path: 'M252 118 L316 96 L384 132 L398 214 L370 292 L300 318 L246 300 L238 196 Z',
    label: [318, 206],
  },
  'PEA-C': {
    path: 'M126 222 L186 226 L238 196 L246 300 L300 318 L296 362 L246 392 L200 420 L158 410 L136 352 L116 286 Z',
    label: [180, 300],
  },
  'MEA-BKK': {
    path: 'M190 352 L234 346 L252 378 L230 408 L192 404 L178 378 Z',
    label: [338, 392],
  },
  'PEA-S': {
    path: 'M158 410 L200 420 L196 468 L214 520 L246 584 L232 620 L204 606 L178 548 L158 490 L146 444 Z',
    label: [190, 512],
  },
};

/** Where a corridor's line meets each zone. */
const ANCHOR: Record<string, [number, number]> = {
  'PEA-N': [172, 150],
  'PEA-NE': [306, 214],
  'PEA-C': [186, 290],
  'MEA-BKK': [214, 378],
  'PEA-S': [184, 480],
};

/** Bangkok sits inside Central on the map, so it is drawn last. */
function drawOrder<T extends { code: string }>(zones: T[]): T[] {
  return [...zones].sort((a, b) => Number(a.code === 'MEA-BKK') - Number(b.code === 'MEA-BKK'));
}

export function utilization(l: GridLink): number | null {
  if (l.remainingWh === null || l.capacityWh <= 0) return null;
  return Math.min(1, Math.max(0, (l.capacityWh - l.remainingWh) / l.capacityWh));
}

export function utilizationTone(
  u: number | null,
  congested: boolean,
): 'ok' | 'warn' | 'bad' | 'idle' {
  if (congested) return 'bad';
  if (u === null) return 'idle';
  return u >= 0.8 ? 'warn' : 'ok';
}

/** Blue (cheap) → amber → red (dear), relative to the zones' own range. */
function priceColor(ticks: number, low: number, high: number): string {
  const x = high > low ? (ticks - low) / (high - low) : 0.5;
  const hue = 210 - 200 * x;
  return `hsl(${hue.toFixed(0)} 70% 45%)`;
}

export function GridMap({ state, prices }: { state: GridState; prices: Map<string, number> }) {
  const { t, f } = useI18n();
  const values = [...prices.values()];
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 0;
  const corridors = new Map<string, GridLink[]>();
  for (const l of state.links) {
    const key = [l.from, l.to].sort().join('|');
    corridors.set(key, [...(corridors.get(key) ?? []), l]);
  }
  const summary = state.zones
    .map((z) =>
      t('grid.mapZone', {
        zone: z.code,
        state: z.halted ? t('zone.halted') : t('zone.trading'),
        price: prices.has(z.code) ? f.priceUnit(prices.get(z.code) ?? 0) : t('grid.noPrice'),
      }),
    )
    .join('; ');

  return (
    <figure className="grid-map" data-testid="grid-map">
      <svg viewBox="0 0 420 640" role="img" aria-label={`${t('grid.mapTitle')}: ${summary}`}>
        <defs>
          <pattern
            id="halt-hatch"
            width="10"
            height="10"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="10" height="10" fill="rgba(240,71,106,0.25)" />
            <line x1="0" y1="0" x2="0" y2="10" stroke="#f0476a" strokeWidth="4" />
          </pattern>
        </defs>
        {drawOrder(state.zones).map((z) => {
          const shape = SHAPES[z.code];
          if (!shape) return null;
          const price = prices.get(z.code);
          return (
            <g key={z.code} className={`map-zone${z.halted ? ' halted' : ''}`} data-zone={z.code}>
              <path
                d={shape.path}
                fill={price !== undefined ? priceColor(price, low, high) : '#243047'}
                stroke={z.halted ? '#f0476a' : '#0a0e15'}
                strokeWidth={z.halted ? 5 : 3}
                strokeLinejoin="round"
              />
              {z.halted ? (
                <path d={shape.path} fill="url(#halt-hatch)" pointerEvents="none" />
              ) : null}
            </g>
          );
        })}
        {[...corridors.values()].map((pair) => {
          const a = pair[0];
          if (!a) return null;
          const p1 = ANCHOR[a.from];
          const p2 = ANCHOR[a.to];
          if (!p1 || !p2) return null;
          const worst = pair
            .map((l) => ({ l, u: utilization(l) }))
            .sort((x, y) => (y.u ?? -1) - (x.u ?? -1))[0];
          const tone = worst
            ? utilizationTone(
                worst.u,
                pair.some((l) => l.congested),
              )
            : 'idle';
          const width = 4 + Math.min(10, Math.max(...pair.map((l) => l.capacityWh)) / 500_000);
          const mid: [number, number] = [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2];
          return (
            <g key={`${a.from}-${a.to}`} className={`map-link tone-${tone}`}>
              <line
                x1={p1[0]}
                y1={p1[1]}
                x2={p2[0]}
                y2={p2[1]}
                strokeWidth={width}
                strokeLinecap="round"
              />
              <circle cx={mid[0]} cy={mid[1]} r={13} />
              <text x={mid[0]} y={mid[1] + 5} textAnchor="middle" className="map-link-pct">
                {worst?.u !== null && worst?.u !== undefined ? Math.round(worst.u * 100) : '–'}
              </text>
            </g>
          );
        })}
        {state.zones.map((z) => {
          const shape = SHAPES[z.code];
          if (!shape) return null;
          const price = prices.get(z.code);
          return (
            <g key={`label-${z.code}`} className="map-label" pointerEvents="none">
              <text
                x={shape.label[0]}
                y={shape.label[1] - (z.code === 'MEA-BKK' ? 34 : 10)}
                textAnchor="middle"
                className="map-code"
              >
                {z.code}
              </text>
              <text
                x={shape.label[0]}
                y={shape.label[1] + (z.code === 'MEA-BKK' ? -14 : 14)}
                textAnchor="middle"
                className="map-price"
              >
                {z.halted ? t('grid.haltedCaps') : price !== undefined ? f.price(price) : '—'}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="legend-scale" aria-hidden="true" />
        <span className="muted small">
          {values.length
            ? t('grid.legendPrice', {
                low: f.price(low),
                high: f.price(high),
                unit: f.priceUnitLabel,
              })
            : t('grid.legendNoPrice')}
        </span>
        <span className="muted small">{t('grid.legendLinks')}</span>
      </figcaption>
    </figure>
  );
}
