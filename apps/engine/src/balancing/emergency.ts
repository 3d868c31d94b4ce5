// The emergency protocol. The engine watches two things by itself: the simulated frequency of
// each settled interval (GRID-F1) and, for the interval being delivered, every link's scheduled
// flow against its capacity. A frequency outside 49.5–50.5 Hz halts the zones whose imbalance
// drove it (a shortfall for under-frequency, a surplus for over-frequency); an overloaded link
// halts the zones at both ends. Each halt is an EGAT-signed GRID_ZONE_HALT through the outbox
// (an emergency transaction, first in its block), a grid event and an alert to operators on
// the `grid` room; zones stay halted until an operator resumes them (grid.resume).
import type { EngineServices } from '../context.ts';
import { intervalStartOf } from '../market/calendar.ts';
import type { IntervalSummary } from '../delivery/interval.ts';
import { loadInterval, summarize } from '../delivery/interval.ts';
import { ENGINE_ACTOR, haltZone } from './control.ts';
import {
  ALERT_HIGH_MHZ,
  ALERT_LOW_MHZ,
  BAND_HIGH_MHZ,
  BAND_LOW_MHZ,
  NOMINAL_MHZ,
} from './frequency.ts';

type Services = Pick<EngineServices, 'db' | 'markets' | 'hub' | 'settlement' | 'clock' | 'logger'>;

const hz = (mhz: number) => (mhz / 1000).toFixed(3);
/** Link flows are checked at most this often (real milliseconds). */
const LINK_CHECK_EVERY_MS = 2_000;

export class EmergencyProtocol {
  private readonly handledLinks = new Set<string>();
  private lastLinkCheck = 0;

  constructor(
    private readonly services: Services,
    private readonly clearingAccountId: () => string | null,
  ) {}

  /** After an interval settles: alert outside 49.8–50.2 Hz, act outside 49.5–50.5 Hz. */
  async onInterval(summary: IntervalSummary): Promise<void> {
    const f = summary.frequencyMhz;
    if (f >= ALERT_LOW_MHZ && f <= ALERT_HIGH_MHZ) return;
    const { db, hub, clock } = this.services;
    const details = {
      intervalStart: summary.intervalStartMs,
      frequencyMhz: f,
      imbalanceWh: summary.imbalanceWh.toString(),
    };
    if (f >= BAND_LOW_MHZ && f <= BAND_HIGH_MHZ) {
      await db.prisma.gridEvent.create({
        data: {
          at: new Date(clock.now()),
          kind: 'ALERT',
          details: { cause: 'FREQUENCY', ...details },
        },
      });
      hub.publish('grid', 'alert', { level: 'ALERT', cause: 'FREQUENCY', ...details });
      return;
    }
    const low = f < NOMINAL_MHZ;
    const drivers = summary.zones.filter((z) => (low ? z.imbalanceWh < 0n : z.imbalanceWh > 0n));
    const zones = drivers.map((z) => z.zone);
    await db.prisma.gridEvent.create({
      data: {
        at: new Date(clock.now()),
        kind: 'FREQUENCY_EXCURSION',
        details: { ...details, zones },
      },
    });
    this.services.logger.warn({ ...details, zones }, 'frequency excursion: emergency halt');
    const reason = `Emergency: system frequency ${hz(f)} Hz outside ${hz(BAND_LOW_MHZ)}–${hz(BAND_HIGH_MHZ)} Hz`;
    const halted = await this.haltAll(zones, reason, { cause: 'FREQUENCY_EXCURSION', ...details });
    hub.publish('grid', 'alert', {
      level: 'EMERGENCY',
      cause: 'FREQUENCY_EXCURSION',
      zones: halted,
      ...details,
    });
  }

  /** During delivery: a link whose scheduled flow exceeds its capacity halts both its zones. */
  async checkLinks(): Promise<void> {
    if (performance.now() - this.lastLinkCheck < LINK_CHECK_EVERY_MS) return;
    this.lastLinkCheck = performance.now();
    const { db, hub, clock } = this.services;
    const intervalStartMs = intervalStartOf(clock.now());
    const summary = summarize(await loadInterval(db, intervalStartMs), this.clearingAccountId());
    for (const link of summary.links.filter((l) => l.overloaded)) {
      const key = `${link.from}>${link.to}|${intervalStartMs}`;
      if (this.handledLinks.has(key)) continue;
      this.handledLinks.add(key);
      const seen = await db.pool.query(
        `SELECT 1 FROM grid_event WHERE kind = 'LINK_OVERLOAD' AND details->>'key' = $1 LIMIT 1`,
        [key],
      );
      if (seen.rowCount) continue;
      const details = {
        key,
        from: link.from,
        to: link.to,
        intervalStart: intervalStartMs,
        scheduledWh: link.scheduledWh.toString(),
        capacityWh: link.capacityWh.toString(),
      };
      await db.prisma.gridEvent.create({
        data: { at: new Date(clock.now()), kind: 'LINK_OVERLOAD', details },
      });
      this.services.logger.warn(details, 'link overload: emergency halt');
      const reason = `Emergency: link ${link.from} → ${link.to} carries ${link.scheduledWh} Wh against ${link.capacityWh} Wh capacity`;
      const halted = await this.haltAll([link.from, link.to], reason, {
        cause: 'LINK_OVERLOAD',
        ...details,
      });
      hub.publish('grid', 'alert', {
        level: 'EMERGENCY',
        cause: 'LINK_OVERLOAD',
        zones: halted,
        ...details,
      });
    }
  }

  private async haltAll(
    zones: string[],
    reason: string,
    details: Record<string, string | number | string[]>,
  ): Promise<string[]> {
    const current = await this.services.db.prisma.zone.findMany({
      where: { code: { in: zones }, halted: false },
      orderBy: { code: 'asc' },
    });
    for (const z of current) {
      await haltZone(this.services, z.code, reason, ENGINE_ACTOR, { emergency: true, ...details });
    }
    return current.map((z) => z.code);
  }
}
