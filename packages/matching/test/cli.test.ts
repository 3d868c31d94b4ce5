// The command-line tools are a stable contract (issue 3 §3, CLI-1…CLI-4): they run as child
// processes against a fresh build of dist/, read known-answer vectors, and refuse bad input with
// exit code 2 and a JSON error naming the field.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMarket } from '../src/index.ts';
import type { MarketCommand } from '../src/index.ts';
import { randomCommands, randomConfig } from './commands.ts';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vectors = join(packageDir, 'test', 'vectors');

function run(
  tool: string,
  stdin: string,
  args: string[] = [],
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(packageDir, 'bin', tool), ...args], {
    input: stdin,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // Always test the code in src: rebuild dist with the package's own build config.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}, 120_000);

describe('clear-auction.mjs', () => {
  it('CLI-1 clears the two-zone known-answer day', () => {
    const vector = JSON.parse(readFileSync(join(vectors, 'auction-two-zones.json'), 'utf8')) as {
      input: unknown;
      expected: unknown;
    };
    const { status, stdout } = run('clear-auction.mjs', JSON.stringify(vector.input));
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(vector.expected);
  });

  it('CLI-2 exits 2 naming the field of an invalid order', () => {
    const vector = JSON.parse(readFileSync(join(vectors, 'auction-two-zones.json'), 'utf8')) as {
      input: { orders: Record<string, unknown>[] };
    };
    vector.input.orders[2]!['priceTicks'] = 1.5;
    const { status, stdout, stderr } = run('clear-auction.mjs', JSON.stringify(vector.input));
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr)).toMatchObject({
      error: 'MATCH_AUCTION_INVALID_INPUT',
      field: 'orders[2].priceTicks',
    });
  });

  it('CLI-2 exits 2 on text that is not JSON, and on an unknown link zone', () => {
    expect(run('clear-auction.mjs', '{"intervals": ').status).toBe(2);
    const bad = run(
      'clear-auction.mjs',
      JSON.stringify({
        intervals: 1,
        priceFloorTicks: 0,
        priceCapTicks: 9,
        zones: ['A'],
        links: [{ from: 'A', to: 'Z', capacityWh: 1, wheelingTicks: 0 }],
        orders: [],
      }),
    );
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ field: 'links[0].to' });
  });
});

describe('replay-book.mjs', () => {
  it('CLI-3 replays the cross-zone known-answer stream', () => {
    const { status, stdout } = run(
      'replay-book.mjs',
      readFileSync(join(vectors, 'book-cross-zone.jsonl'), 'utf8'),
    );
    expect(status).toBe(0);
    expect(stdout).toBe(readFileSync(join(vectors, 'book-cross-zone.expected.jsonl'), 'utf8'));
  });

  it('CLI-3 without a config line uses the one zone named by the orders', () => {
    const lines = [
      {
        cmd: 'place',
        id: 'a',
        account: 'x',
        zone: 'PEA-N',
        side: 'sell',
        type: 'limit',
        priceTicks: 10,
        quantityWh: 5,
        tif: 'GTC',
      },
      {
        cmd: 'place',
        id: 'b',
        account: 'y',
        zone: 'PEA-N',
        side: 'buy',
        type: 'limit',
        priceTicks: 12,
        quantityWh: 3,
        tif: 'GTC',
      },
      { cmd: 'snapshot' },
    ];
    const { status, stdout } = run(
      'replay-book.mjs',
      lines.map((l) => JSON.stringify(l)).join('\n'),
    );
    expect(status).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[2]).toMatchObject({
      event: 'fill',
      maker: 'a',
      taker: 'b',
      priceTicks: 10,
      quantityWh: 3,
    });
    expect(events[3]).toMatchObject({
      event: 'snapshot',
      zones: [{ zone: 'PEA-N', bids: [], asks: [{ id: 'a', remainingWh: 2 }] }],
    });
  });

  it('CLI-3 gives the same events and state hash as the library for a random stream', () => {
    const config = randomConfig(11);
    const commands = randomCommands(11, 3_000, config).filter(
      (c) => c.kind !== 'amend' || c.accountId !== '',
    );
    const toLine = (c: MarketCommand): Record<string, unknown> => {
      switch (c.kind) {
        case 'place':
          return {
            cmd: 'place',
            id: c.orderId,
            account: c.accountId,
            zone: c.zone,
            side: c.side,
            type: c.type,
            priceTicks: c.priceTicks,
            quantityWh: c.quantityWh,
            tif: c.tif,
            ...(c.postOnly === undefined ? {} : { postOnly: c.postOnly }),
          };
        case 'cancel':
          return { cmd: 'cancel', id: c.orderId, account: c.accountId };
        case 'amend':
          return {
            cmd: 'amend',
            id: c.orderId,
            account: c.accountId,
            ...(c.quantityWh === undefined ? {} : { quantityWh: c.quantityWh }),
            ...(c.priceTicks === undefined ? {} : { priceTicks: c.priceTicks }),
          };
        case 'setLinkCapacity':
          return { cmd: 'setLinkCapacity', from: c.from, to: c.to, capacityWh: c.capacityWh };
        case 'haltZone':
        case 'resumeZone':
          return { cmd: c.kind, zone: c.zone };
        case 'close':
          return { cmd: 'close' };
      }
    };
    const input = [
      { cmd: 'config', zones: config.zones, links: config.links, spec: config.spec },
      ...commands.map(toLine),
      { cmd: 'snapshot' },
    ];
    const { status, stdout, stderr } = run(
      'replay-book.mjs',
      input.map((l) => JSON.stringify(l)).join('\n'),
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const market = createMarket(config);
    let fills = 0;
    for (const c of commands) fills += market.apply(c).filter((e) => e.type === 'fill').length;
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e['event'] === 'fill').length).toBe(fills);
    expect(fills).toBeGreaterThan(100);
    expect(events[events.length - 1]!['stateHash']).toBe(market.stateHash());
  });

  it('CLI-4 exits 2 naming the line and field of a malformed command', () => {
    const { status, stderr } = run(
      'replay-book.mjs',
      '{"cmd":"place","id":"a","account":"x","zone":"A","side":"buy","priceTicks":"ten","quantityWh":1}\n',
    );
    expect(status).toBe(2);
    expect(JSON.parse(stderr)).toEqual({
      error: 'MATCH_INVALID_COMMAND',
      line: 1,
      field: 'priceTicks',
      message: 'must be an integer',
    });
    expect(run('replay-book.mjs', '{"cmd":"teleport"}\n').status).toBe(2);
    expect(run('replay-book.mjs', 'not json\n').status).toBe(2);
  });
});
