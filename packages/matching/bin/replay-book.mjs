#!/usr/bin/env node
// Replays continuous-market commands: `node bin/replay-book.mjs < commands.jsonl > events.jsonl`.
// A stable command-line contract (issue 3 §3): one JSON command per line, one JSON event per line.
// A malformed line exits 2 with a JSON error on stderr naming the line and field; an order the
// market refuses is not an error but a "rejected" event with its MATCH_… code.
import { createInterface } from 'node:readline';
import { createMarket } from '../dist/index.js';

const PERMISSIVE_SPEC = {
  tickSizeTicks: 1,
  lotSizeWh: 1,
  minQuantityWh: 1,
  maxQuantityWh: 2 ** 50,
  priceFloorTicks: -(2 ** 40),
  priceCapTicks: 2 ** 40,
};

let lineNo = 0;
function fail(field, message) {
  process.stderr.write(
    `${JSON.stringify({ error: 'MATCH_INVALID_COMMAND', line: lineNo, field, message })}\n`,
  );
  process.exit(2);
}

const isString = (v) => typeof v === 'string' && v.length > 0;
const isInt = (v) => typeof v === 'number' && Number.isSafeInteger(v);

function need(command, field, check, what) {
  if (!check(command[field])) fail(field, `must be ${what}`);
  return command[field];
}

let market;
let out = '';
function emit(object) {
  out += `${JSON.stringify(object)}\n`;
  if (out.length > 1 << 16) {
    process.stdout.write(out);
    out = '';
  }
}

function ensureMarket(zone) {
  market ??= createMarket({ zones: [zone], links: [], spec: PERMISSIVE_SPEC });
  return market;
}

function emitEvents(events) {
  for (const e of events) {
    if (e.type === 'fill') {
      emit({
        event: 'fill',
        maker: e.makerOrderId,
        taker: e.takerOrderId,
        priceTicks: e.priceTicks,
        quantityWh: e.quantityWh,
        makerAccount: e.makerAccountId,
        takerAccount: e.takerAccountId,
        makerZone: e.makerZone,
        takerZone: e.takerZone,
        takerSide: e.takerSide,
        wheelingTicks: e.wheelingTicks,
      });
    } else {
      const { type, orderId, ...rest } = e;
      emit(
        orderId === undefined ? { event: type, ...rest } : { event: type, id: orderId, ...rest },
      );
    }
  }
}

const owner = (id) => market?.order(id)?.accountId ?? '';

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo += 1;
  if (line.trim() === '') continue;
  let c;
  try {
    c = JSON.parse(line);
  } catch (e) {
    fail('', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) fail('', 'must be a JSON object');
  switch (c.cmd) {
    case 'config': {
      if (market !== undefined) fail('cmd', 'config must be the first command');
      const zones = need(
        c,
        'zones',
        (v) => Array.isArray(v) && v.length > 0 && v.every(isString),
        'a non-empty array of zone names',
      );
      const links = c.links ?? [];
      if (!Array.isArray(links)) fail('links', 'must be an array');
      links.forEach((l, i) => {
        if (typeof l !== 'object' || l === null) fail(`links[${i}]`, 'must be an object');
        if (!isString(l.from) || !zones.includes(l.from))
          fail(`links[${i}].from`, 'must name a zone');
        if (!isString(l.to) || !zones.includes(l.to) || l.to === l.from)
          fail(`links[${i}].to`, 'must name another zone');
        if (!isInt(l.capacityWh) || l.capacityWh < 0)
          fail(`links[${i}].capacityWh`, 'must be a non-negative integer');
        if (!isInt(l.wheelingTicks) || l.wheelingTicks < 0)
          fail(`links[${i}].wheelingTicks`, 'must be a non-negative integer');
      });
      const spec = { ...PERMISSIVE_SPEC, ...(c.spec ?? {}) };
      for (const [k, v] of Object.entries(spec))
        if (!isInt(v)) fail(`spec.${k}`, 'must be an integer');
      try {
        market = createMarket({ zones, links, spec });
      } catch (e) {
        fail('spec', e instanceof Error ? e.message : String(e));
      }
      break;
    }
    case 'place': {
      const zone = need(c, 'zone', isString, 'a zone name');
      const command = {
        kind: 'place',
        orderId: need(c, 'id', isString, 'a non-empty string'),
        accountId: need(c, 'account', isString, 'a non-empty string'),
        zone,
        side: need(c, 'side', (v) => v === 'buy' || v === 'sell', '"buy" or "sell"'),
        type:
          c.type === undefined
            ? 'limit'
            : need(c, 'type', (v) => v === 'limit' || v === 'market', '"limit" or "market"'),
        priceTicks: need(c, 'priceTicks', isInt, 'an integer'),
        quantityWh: need(c, 'quantityWh', isInt, 'an integer'),
        tif:
          c.tif === undefined
            ? 'GTC'
            : need(
                c,
                'tif',
                (v) => v === 'GTC' || v === 'IOC' || v === 'FOK',
                '"GTC", "IOC" or "FOK"',
              ),
        ...(c.postOnly === undefined
          ? {}
          : { postOnly: need(c, 'postOnly', (v) => typeof v === 'boolean', 'a boolean') }),
      };
      emitEvents(ensureMarket(zone).apply(command));
      break;
    }
    case 'cancel': {
      const id = need(c, 'id', isString, 'a non-empty string');
      const account =
        c.account === undefined ? owner(id) : need(c, 'account', isString, 'a non-empty string');
      emitEvents(
        ensureMarket('default').apply({ kind: 'cancel', orderId: id, accountId: account }),
      );
      break;
    }
    case 'amend': {
      const id = need(c, 'id', isString, 'a non-empty string');
      const account =
        c.account === undefined ? owner(id) : need(c, 'account', isString, 'a non-empty string');
      const command = {
        kind: 'amend',
        orderId: id,
        accountId: account,
        ...(c.quantityWh === undefined
          ? {}
          : { quantityWh: need(c, 'quantityWh', isInt, 'an integer') }),
        ...(c.priceTicks === undefined
          ? {}
          : { priceTicks: need(c, 'priceTicks', isInt, 'an integer') }),
      };
      emitEvents(ensureMarket('default').apply(command));
      break;
    }
    case 'close':
      emitEvents(ensureMarket('default').apply({ kind: 'close' }));
      break;
    case 'haltZone':
    case 'resumeZone':
      emitEvents(
        ensureMarket('default').apply({
          kind: c.cmd,
          zone: need(c, 'zone', isString, 'a zone name'),
        }),
      );
      break;
    case 'setLinkCapacity':
      emitEvents(
        ensureMarket('default').apply({
          kind: 'setLinkCapacity',
          from: need(c, 'from', isString, 'a zone name'),
          to: need(c, 'to', isString, 'a zone name'),
          capacityWh: need(c, 'capacityWh', isInt, 'an integer'),
        }),
      );
      break;
    case 'snapshot': {
      const m = ensureMarket('default');
      emit({
        event: 'snapshot',
        stateHash: m.stateHash(),
        zones: m.zones.map((zone) => {
          const book = m.book(zone);
          const entry = (e) => ({
            id: e.orderId,
            account: e.accountId,
            priceTicks: e.priceTicks,
            remainingWh: e.remainingWh,
          });
          return { zone, bids: book.bids.map(entry), asks: book.asks.map(entry) };
        }),
      });
      break;
    }
    default:
      fail(
        'cmd',
        'must be one of config, place, cancel, amend, snapshot, close, haltZone, resumeZone, setLinkCapacity',
      );
  }
}
process.stdout.write(out);
