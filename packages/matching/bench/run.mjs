// Benchmarks of @gridtokenx/matching (run after `npm run build`): continuous-market throughput
// and per-command latency for a realistic mix, and one 96 x 5 day-ahead day of 100,000 orders
// against HiGHS solving the naive model directly. Last stdout line: one JSON object of figures.
// BENCH_CPU=<n> or BENCH_CPU=fastest pins the main thread to one vCPU (see bench/cpu.mjs).
import { loadavg } from 'node:os';
import * as highsModule from 'highs';
import { clearAuction, createMarket } from '../dist/index.js';
import { currentCpu, memoryLatencyByCpu, pinMainThread } from './cpu.mjs';
import { auctionDay, bookCommands, bookConfig } from './instances.mjs';

const BOOK_COMMANDS = 1_000_000;
const BOOK_PASSES = 5;
const AUCTION_WARM_RUNS = 5;
const AUCTION_GAP = 1e-9;
const HIGHS_TIME_LIMIT_S = 120;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Process CPU seconds (all threads: main, GC helpers, compilers) since `start`. */
function cpuSeconds(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function benchBook() {
  const config = bookConfig();
  const commands = bookCommands(createMarket(config), BOOK_COMMANDS);
  // Warm the JIT on a separate market so the timed runs measure steady state.
  const warm = createMarket(config);
  for (let i = 0; i < 200_000; i++) warm.apply(commands[i]);
  // Each pass replays every command on a fresh market; on a shared machine single passes vary
  // by a factor of two, so the figure is the median of five passes. CPU time is the process's (GC and
  // compiler threads included), so the CPU rate is a lower bound for one core.
  let events = 0;
  const wallRates = [];
  const cpuRates = [];
  const passCpus = [];
  const passFaults = [];
  const passSysMs = [];
  for (let pass = 0; pass < BOOK_PASSES; pass++) {
    const throughput = createMarket(config);
    events = 0;
    const faults0 = process.resourceUsage().minorPageFault;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < commands.length; i++) events += throughput.apply(commands[i]).length;
    const seconds = (performance.now() - t0) / 1000;
    cpuRates.push(commands.length / cpuSeconds(c0));
    wallRates.push(commands.length / seconds);
    passSysMs.push(Math.round(process.cpuUsage(c0).system / 1000));
    passFaults.push(process.resourceUsage().minorPageFault - faults0);
    passCpus.push(currentCpu());
  }
  const latency = createMarket(config);
  const samples = new Float64Array(commands.length);
  for (let i = 0; i < commands.length; i++) {
    const s = performance.now();
    latency.apply(commands[i]);
    samples[i] = performance.now() - s;
  }
  samples.sort();
  const kinds = {};
  for (const c of commands) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
  return {
    bookCommands: commands.length,
    bookEvents: events,
    bookMix: kinds,
    bookCommandsPerSec: Math.round(median(wallRates)),
    bookCpuCommandsPerSec: Math.round(median(cpuRates)),
    bookPassesCpuCommandsPerSec: cpuRates.map(Math.round),
    bookPassesCommandsPerSec: wallRates.map(Math.round),
    bookPassesVcpu: passCpus,
    bookPassesPageFaults: passFaults,
    bookPassesSysMs: passSysMs,
    bookP50Us: +(percentile(samples, 0.5) * 1000).toFixed(2),
    bookP99Us: +(percentile(samples, 0.99) * 1000).toFixed(2),
    bookP999Us: +(percentile(samples, 0.999) * 1000).toFixed(2),
  };
}

function naiveHighs(highs, input) {
  const T = input.intervals;
  const zone = new Map(input.zones.map((z, i) => [z, i]));
  const cost = [];
  const upper = [];
  const integer = [];
  const starts = [0];
  const index = [];
  const value = [];
  const rowLower = new Array(input.zones.length * T).fill(0);
  const rowUpper = new Array(input.zones.length * T).fill(0);
  const column = (c, up, int, entries) => {
    cost.push(c);
    upper.push(up);
    integer.push(int ? 1 : 0);
    entries.sort((a, b) => a[0] - b[0]);
    for (const [r, v] of entries) {
      index.push(r);
      value.push(v);
    }
    starts.push(index.length);
  };
  for (const o of input.orders) {
    const sign = o.side === 'sell' ? 1 : -1;
    const legs = o.profile ?? [{ interval: o.interval, quantityWh: o.quantityWh }];
    const total = legs.reduce((s, l) => s + l.quantityWh, 0);
    const r0 = o.minAcceptanceRatio ?? (o.profile ? 1 : 0);
    const entries = legs.map((l) => [zone.get(o.zone) * T + l.interval, sign * l.quantityWh]);
    if (r0 > 0 && r0 < 1) {
      const row = rowLower.length;
      rowLower.push(-Infinity, 0);
      rowUpper.push(0, Infinity);
      column(-sign * o.priceTicks * total, 1, false, [...entries, [row, 1], [row + 1, 1]]);
      column(0, 1, true, [
        [row, -1],
        [row + 1, -r0],
      ]);
    } else {
      column(-sign * o.priceTicks * total, 1, r0 >= 1, entries);
    }
  }
  for (const l of input.links) {
    for (let t = 0; t < T; t++) {
      const cap = Array.isArray(l.capacityWh) ? l.capacityWh[t] : l.capacityWh;
      column(-l.wheelingTicks, cap, false, [
        [zone.get(l.from) * T + t, -1],
        [zone.get(l.to) * T + t, 1],
      ]);
    }
  }
  const model = highs.createModel({
    numCols: cost.length,
    numRows: rowLower.length,
    sense: highs.constants.objectiveSense.maximize,
    colCost: Float64Array.from(cost),
    colLower: new Float64Array(cost.length),
    colUpper: Float64Array.from(upper),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csc',
      numRows: rowLower.length,
      numCols: cost.length,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(index),
      values: Float64Array.from(value),
    },
    integrality: Int32Array.from(integer),
  });
  try {
    // Bench-only safety net: HiGHS alone may take minutes on this day; report if it was cut.
    model.options.set({
      output_flag: false,
      mip_rel_gap: AUCTION_GAP,
      time_limit: HIGHS_TIME_LIMIT_S,
    });
    model.run();
    return {
      welfare: model.getObjectiveValue() / 1000,
      finished: model.getModelStatus() === highs.constants.modelStatus.optimal,
      gap: Number(model.info.get('mip_gap')),
    };
  } finally {
    model.dispose();
  }
}

async function benchAuction() {
  const input = auctionDay();
  const noBlocks = { ...input, orders: input.orders.filter((o) => o.profile === undefined) };
  // Cold: the first full-size call of the process (WebAssembly and JIT still tiering up), which is
  // what a once-a-day clearing in a fresh process sees.
  await clearAuction({ ...input, orders: input.orders.slice(0, 200) });
  const coldCpu = process.cpuUsage();
  let t0 = performance.now();
  const cold = await clearAuction(input, { relativeGap: AUCTION_GAP });
  const auctionColdMs = performance.now() - t0;
  const auctionColdCpuMs = cpuSeconds(coldCpu) * 1000;
  if (!cold.ok) throw new Error(cold.message);
  // Warm: the same day again, the median of a few calls (the machine is shared and noisy).
  let outcome;
  const warmMs = [];
  const warmCpuMs = [];
  for (let run = 0; run < AUCTION_WARM_RUNS; run++) {
    const c0 = process.cpuUsage();
    t0 = performance.now();
    outcome = await clearAuction(input, { relativeGap: AUCTION_GAP });
    warmMs.push(performance.now() - t0);
    warmCpuMs.push(cpuSeconds(c0) * 1000);
    if (!outcome.ok) throw new Error(outcome.message);
    if (outcome.result.welfare !== cold.result.welfare)
      throw new Error('auction is not deterministic');
  }
  const auctionMs = median(warmMs);
  t0 = performance.now();
  const simple = await clearAuction(noBlocks);
  const auctionNoBlocksMs = performance.now() - t0;
  if (!simple.ok) throw new Error(simple.message);
  const exported = highsModule.default;
  const highs = await (typeof exported === 'function' ? exported() : exported.default());
  t0 = performance.now();
  const direct = naiveHighs(highs, input);
  const highsMs = performance.now() - t0;
  return {
    auctionOrders: input.orders.length,
    auctionBlocks: input.orders.length - noBlocks.orders.length,
    auctionRelativeGap: AUCTION_GAP,
    auctionMs: Math.round(auctionMs),
    auctionCpuMs: Math.round(median(warmCpuMs)),
    auctionRunsCpuMs: warmCpuMs.map(Math.round),
    auctionRunsMs: warmMs.map(Math.round),
    auctionVcpu: currentCpu(),
    auctionColdMs: Math.round(auctionColdMs),
    auctionColdCpuMs: Math.round(auctionColdCpuMs),
    auctionWelfare: outcome.result.welfareUnrounded,
    auctionOptimalityGap: outcome.result.optimalityGap,
    auctionParadoxicallyRejected: outcome.result.paradoxicallyRejected.length,
    auctionCongestedFlows: outcome.result.flows.filter((f) => {
      const link = input.links.find((l) => l.from === f.from && l.to === f.to);
      return (
        f.quantityWh ===
        (Array.isArray(link.capacityWh) ? link.capacityWh[f.interval] : link.capacityWh)
      );
    }).length,
    auctionNoBlocksMs: Math.round(auctionNoBlocksMs),
    highsMs: Math.round(highsMs),
    highsWelfare: direct.welfare,
    highsFinished: direct.finished,
    highsGap: direct.gap,
    auctionVsHighsRatio: +(auctionMs / highsMs).toFixed(3),
  };
}

// The machine is shared: the 1/5/15-minute load averages at the start, after the book and at the
// end say how much the figures were squeezed (2 cores: above 2, other processes took CPU time).
const load = () => loadavg().map((l) => +l.toFixed(2));
const date = new Date().toISOString();
const loadStart = load();
// Memory latency from each vCPU (ns per dependent miss over 64 MiB): the vCPU the main thread
// runs on decides whether a run is "fast" or "slow" (BENCHMARKS.md), so every run records it.
const memoryLatencyStartNs = memoryLatencyByCpu();
const wanted = process.env.BENCH_CPU;
let pinnedVcpu = null;
if (wanted !== undefined && wanted !== '') {
  const cpu =
    wanted === 'fastest'
      ? memoryLatencyStartNs.indexOf(Math.min(...memoryLatencyStartNs))
      : Number(wanted);
  if (cpu >= 0 && pinMainThread(cpu)) pinnedVcpu = cpu;
}
const startVcpu = currentCpu();
const book = benchBook();
const loadAfterBook = load();
const auction = await benchAuction();
const loadEnd = load();
const memoryLatencyEndNs = memoryLatencyByCpu();
const figures = {
  date,
  node: process.version,
  loadStart,
  loadAfterBook,
  loadEnd,
  memoryLatencyStartNs,
  memoryLatencyEndNs,
  pinnedVcpu,
  startVcpu,
  ...book,
  ...auction,
};
for (const [k, v] of Object.entries(figures))
  console.log(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
console.log(JSON.stringify(figures));
