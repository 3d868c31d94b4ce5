// The two files of a daily report. JSON: the report object, two-space indented, keys in the
// order built. CSV (RFC 4180, CRLF): one row per figure — section, market, zone, metric, value,
// note — so a spreadsheet can filter and pivot it; events carry their time as the value.
import type { DailyReportData, SideStats } from './daily.ts';

export function reportJson(report: DailyReportData): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function cell(value: string | number | null): string {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Row = [string, string, string, string, string | number | null, string];

function sideRows(market: string, zone: string, side: string, s: SideStats): Row[] {
  return [
    ['trading', market, zone, `${side}_trades`, s.trades, ''],
    ['trading', market, zone, `${side}_volume_wh`, s.volumeWh, ''],
    ['trading', market, zone, `${side}_value_satang`, s.valueSatang, ''],
    ['trading', market, zone, `${side}_vwap_ticks`, s.vwapTicks, ''],
    ['trading', market, zone, `${side}_min_price_ticks`, s.minPriceTicks, ''],
    ['trading', market, zone, `${side}_max_price_ticks`, s.maxPriceTicks, ''],
  ];
}

export function reportCsv(r: DailyReportData): string {
  const rows: Row[] = [
    ['report', '', '', 'format', r.format, ''],
    ['report', '', '', 'day', r.day, r.timezone],
    ['report', '', '', 'from', r.from, ''],
    ['report', '', '', 'to', r.to, ''],
    ['report', '', '', 'generated_at', r.generatedAt, ''],
    ['report', '', '', 'chain_id', r.chain?.chainId ?? null, ''],
    ['report', '', '', 'chain_height', r.chain?.height ?? null, ''],
  ];
  for (const [market, m] of [
    ['continuous', r.totals.continuous],
    ['day-ahead', r.totals.dayAhead],
  ] as const) {
    rows.push(
      ['totals', market, '', 'trades', m.trades, ''],
      ['totals', market, '', 'volume_wh', m.volumeWh, ''],
      ['totals', market, '', 'value_satang', m.valueSatang, ''],
      ['totals', market, '', 'fees_satang', m.feesSatang, ''],
      ['totals', market, '', 'wheeling_satang', m.wheelingSatang, ''],
    );
  }
  const t = r.totals;
  rows.push(
    ['totals', '', '', 'delivery_trades', t.delivery.trades, ''],
    ['totals', '', '', 'delivered_wh', t.delivery.deliveredWh, ''],
    ['totals', '', '', 'shortfall_wh', t.delivery.shortfallWh, ''],
    ['totals', '', '', 'delivery_imbalance_charge_satang', t.delivery.imbalanceChargeSatang, ''],
    ['totals', '', '', 'imbalance_positions', t.imbalance.positions, ''],
    ['totals', '', '', 'imbalance_charged_satang', t.imbalance.chargedSatang, ''],
    ['totals', '', '', 'imbalance_paid_satang', t.imbalance.paidSatang, ''],
    ['totals', '', '', 'recs_issued', t.certificates.issued, ''],
    ['totals', '', '', 'recs_issued_wh', t.certificates.issuedWh, ''],
    ['totals', '', '', 'recs_retired', t.certificates.retired, ''],
    ['totals', '', '', 'recs_retired_wh', t.certificates.retiredWh, ''],
    ['totals', '', '', 'grid_events', t.gridEvents, ''],
  );
  for (const z of r.zones) {
    rows.push(
      ...sideRows('continuous', z.zone, 'bought', z.continuous.bought),
      ...sideRows('continuous', z.zone, 'sold', z.continuous.sold),
      ...sideRows('day-ahead', z.zone, 'bought', z.dayAhead.bought),
      ...sideRows('day-ahead', z.zone, 'sold', z.dayAhead.sold),
      [
        'trading',
        'day-ahead',
        z.zone,
        'clearing_min_price_ticks',
        z.dayAhead.clearingPriceTicks?.min ?? null,
        '',
      ],
      [
        'trading',
        'day-ahead',
        z.zone,
        'clearing_max_price_ticks',
        z.dayAhead.clearingPriceTicks?.max ?? null,
        '',
      ],
      ['delivery', '', z.zone, 'delivered_wh', z.delivery.deliveredWh, 'by seller zone'],
      ['delivery', '', z.zone, 'shortfall_wh', z.delivery.shortfallWh, 'by seller zone'],
      [
        'delivery',
        '',
        z.zone,
        'imbalance_charge_satang',
        z.delivery.imbalanceChargeSatang,
        'by seller zone',
      ],
      ['imbalance', '', z.zone, 'positions', z.imbalance.positions, ''],
      ['imbalance', '', z.zone, 'surplus_wh', z.imbalance.surplusWh, ''],
      ['imbalance', '', z.zone, 'shortfall_wh', z.imbalance.shortfallWh, ''],
      ['imbalance', '', z.zone, 'charged_satang', z.imbalance.chargedSatang, ''],
      ['imbalance', '', z.zone, 'paid_satang', z.imbalance.paidSatang, ''],
      ['imbalance', '', z.zone, 'min_price_ticks', z.imbalance.priceTicks?.min ?? null, ''],
      ['imbalance', '', z.zone, 'max_price_ticks', z.imbalance.priceTicks?.max ?? null, ''],
      ['certificates', '', z.zone, 'issued', z.certificates.issued, ''],
      ['certificates', '', z.zone, 'issued_wh', z.certificates.issuedWh, ''],
      ['certificates', '', z.zone, 'retired', z.certificates.retired, ''],
      ['certificates', '', z.zone, 'retired_wh', z.certificates.retiredWh, ''],
    );
  }
  for (const c of r.certificatesRetired) {
    rows.push([
      'rec_retired',
      '',
      c.zone,
      c.id,
      c.amountWh,
      `${c.beneficiary ?? ''} | ${c.claimPeriod ?? ''} | ${c.technology} | height ${c.height}`,
    ]);
  }
  for (const e of r.gridEvents) {
    rows.push([
      'grid_event',
      '',
      e.zone ?? '',
      e.kind,
      e.at,
      `${e.actor} ${JSON.stringify(e.details)}`,
    ]);
  }
  for (const a of r.operatorActions) {
    rows.push(['operator_action', '', '', a.action, a.at, `${a.actor} ${a.target ?? ''}`.trim()]);
  }
  const header = 'section,market,zone,metric,value,note';
  return [header, ...rows.map((row) => row.map(cell).join(','))].join('\r\n') + '\r\n';
}
