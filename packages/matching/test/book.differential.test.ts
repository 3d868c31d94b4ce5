// RT-20: the fast book and the naive reference book, fed the same seeded random command streams
// (tens of thousands of commands, cross-zone links), emit identical events and hold identical books.
import { describe, expect, it } from 'vitest';
import { createMarket, restoreMarket } from '../src/index.ts';
import { randomCommands, randomConfig } from './commands.ts';
import { ReferenceBook } from './reference-book.ts';
import { fuzzRuns } from './rng.ts';

function runDifferential(seed: number, count: number): void {
  const config = randomConfig(seed);
  const fast = createMarket(config);
  const ref = new ReferenceBook(config);
  const commands = randomCommands(seed, count, config);
  commands.forEach((command, i) => {
    const a = fast.apply(command);
    const b = ref.apply(command);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      expect({ seed, i, command, events: a }).toEqual({ seed, i, command, events: b });
    }
    if (i % 997 === 0 || i === commands.length - 1) {
      fast.checkInvariants();
      for (const zone of config.zones) {
        const book = fast.book(zone);
        expect({
          bids: book.bids.map((e) => [e.orderId, e.remainingWh]),
          asks: book.asks.map((e) => [e.orderId, e.remainingWh]),
        }).toEqual(ref.book(zone));
      }
      for (const link of config.links) {
        expect(fast.linkCapacity(link.from, link.to)).toBe(ref.linkCapacity(link.from, link.to));
      }
    }
  });
  expect(restoreMarket(fast.snapshot()).stateHash()).toBe(fast.stateHash());
}

describe('continuous book against the naive reference (RT-20)', () => {
  const seeds = fuzzRuns(12);
  it(`agrees on ${seeds} seeded streams of 4,000 commands each`, () => {
    for (let seed = 1; seed <= seeds; seed++) runDifferential(seed, 4_000);
  });

  it('agrees on one long stream of 30,000 commands across five zones', () => {
    let seed = 1_000;
    while (randomConfig(seed).zones.length < 5 || randomConfig(seed).links.length < 6) seed++;
    runDifferential(seed, 30_000);
  });
});
