// Input schemas shared by the routers: instants as ISO strings, integer units with their names.
import { z } from 'zod';

export const zoneCode = z
  .string()
  .regex(/^[A-Z]{2,4}(-[A-Z]{1,4})?$/, 'must be a zone code such as MEA-BKK');

/** An ISO-8601 instant (with Z or an offset), returned as epoch milliseconds. */
export const instant = z
  .union([z.iso.datetime({ offset: true }), z.date()])
  .transform((v) => (v instanceof Date ? v.getTime() : Date.parse(v)));

export const deliveryDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

const safeInt = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer');
export const priceTicks = safeInt.min(-10_000_000).max(10_000_000);
export const quantityWh = safeInt.positive();
export const orderId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'malformed order id');
export const side = z.enum(['buy', 'sell']);
export const tif = z.enum(['GTC', 'IOC', 'FOK']);
export const pageLimit = z.number().int().min(1).max(500).default(100);
