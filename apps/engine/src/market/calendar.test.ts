// Calendar rules (ARCHITECTURE §4): times are ICT; gate closure D-1 12:00; continuous opens
// D-1 16:00 and closes 5 minutes before delivery.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarOf,
  continuousCloseMs,
  continuousOpenMs,
  dayStartMs,
  dayStartOfMs,
  deliveryDayOf,
  gateClosureMs,
  intervalIndex,
  intervalsOfDay,
  intervalStartOf,
  isContinuousOpen,
  isDeliveryDay,
  nextDayAheadDay,
  openContinuousIntervals,
} from './calendar.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('market calendar (ICT)', () => {
  it('starts delivery day 2026-12-01 at 00:00 ICT = 2026-11-30T17:00Z', () => {
    expect(iso(dayStartMs('2026-12-01'))).toBe('2026-11-30T17:00:00.000Z');
    expect(deliveryDayOf(Date.parse('2026-11-30T16:59:59.999Z'))).toBe('2026-11-30');
    expect(deliveryDayOf(Date.parse('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
  });

  it('has 96 intervals a day, the last starting 23:45 ICT', () => {
    const ivs = intervalsOfDay('2026-12-01');
    expect(ivs).toHaveLength(96);
    expect(iso(ivs[95]!)).toBe('2026-12-01T16:45:00.000Z');
    expect(intervalIndex(ivs[37]!)).toBe(37);
  });

  it('closes the day-ahead gate at D-1 12:00 ICT and opens continuous at D-1 16:00 ICT', () => {
    expect(iso(gateClosureMs('2026-12-01'))).toBe('2026-11-30T05:00:00.000Z');
    const cal = calendarOf(Date.parse('2026-12-01T03:00:00Z')); // 10:00 ICT
    expect(iso(cal.continuousOpen)).toBe('2026-11-30T09:00:00.000Z');
    expect(iso(cal.continuousClose)).toBe('2026-12-01T02:55:00.000Z');
  });

  it('knows when an interval is open for continuous trading', () => {
    const t = Date.parse('2026-12-01T03:00:00Z');
    expect(isContinuousOpen(t, Date.parse('2026-11-30T08:59:59Z'))).toBe(false);
    expect(isContinuousOpen(t, Date.parse('2026-11-30T09:00:00Z'))).toBe(true);
    expect(isContinuousOpen(t, Date.parse('2026-12-01T02:54:59Z'))).toBe(true);
    expect(isContinuousOpen(t, Date.parse('2026-12-01T02:55:00Z'))).toBe(false);
  });

  it('lists today’s remaining and, after 16:00 ICT, tomorrow’s intervals', () => {
    const morning = openContinuousIntervals(Date.parse('2026-12-01T03:00:00Z')); // 10:00 ICT
    expect(morning.every((t) => deliveryDayOf(t) === '2026-12-01')).toBe(true);
    expect(iso(morning[0]!)).toBe('2026-12-01T03:15:00.000Z');
    const evening = openContinuousIntervals(Date.parse('2026-12-01T10:00:00Z')); // 17:00 ICT
    expect(evening.some((t) => deliveryDayOf(t) === '2026-12-02')).toBe(true);
    expect(evening.filter((t) => deliveryDayOf(t) === '2026-12-02')).toHaveLength(96);
  });

  it('points day-ahead orders at tomorrow before noon and the day after once the gate closed', () => {
    expect(nextDayAheadDay(Date.parse('2026-12-01T04:59:00Z'))).toBe('2026-12-02');
    expect(nextDayAheadDay(Date.parse('2026-12-01T05:00:00Z'))).toBe('2026-12-03');
  });

  it('validates day strings', () => {
    expect(isDeliveryDay('2026-12-01')).toBe(true);
    expect(isDeliveryDay('2026-02-30')).toBe(false);
    expect(isDeliveryDay('2026-1-01')).toBe(false);
  });

  it('property: every instant lies in exactly one interval of its own delivery day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1.6e12, max: 2.2e12 }), (ms) => {
        const day = deliveryDayOf(ms);
        const ivs = intervalsOfDay(day);
        const containing = ivs.filter((t) => t <= ms && ms < t + 15 * 60_000);
        expect(containing).toHaveLength(1);
        expect(addDays(addDays(day, 1), -1)).toBe(day);
      }),
    );
  });

  it('finds the delivery day’s start in arithmetic as the calendar does by date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(dayStartOfMs(ms)).toBe(dayStartMs(deliveryDayOf(ms)));
        expect(isContinuousOpen(intervalStartOf(ms), ms - 3_600_000)).toBe(
          ms - 3_600_000 >= continuousOpenMs(deliveryDayOf(intervalStartOf(ms))) &&
            ms - 3_600_000 < continuousCloseMs(intervalStartOf(ms)),
        );
      }),
      { numRuns: 5_000 },
    );
  });
});
