// Delivery-interval rows (the calendar of each 15-minute instrument) are written once per
// delivery day, before any order refers to them.
import type { Prisma, PrismaClient } from '../db/index.ts';
import {
  continuousCloseMs,
  continuousOpenMs,
  gateClosureMs,
  INTERVAL_MS,
  intervalsOfDay,
  type DeliveryDay,
} from './calendar.ts';

export async function ensureDay(
  db: Prisma.TransactionClient | PrismaClient,
  day: DeliveryDay,
): Promise<void> {
  await db.deliveryInterval.createMany({
    data: intervalsOfDay(day).map((t) => ({
      start: new Date(t),
      end: new Date(t + INTERVAL_MS),
      dayAheadClosure: new Date(gateClosureMs(day)),
      continuousOpen: new Date(continuousOpenMs(day)),
      continuousClose: new Date(continuousCloseMs(t)),
    })),
    skipDuplicates: true,
  });
}
