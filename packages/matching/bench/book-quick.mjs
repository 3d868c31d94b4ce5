// The bench's book part only (same commands, same warm-up, BOOK_PASSES passes, default 2), for
// telling the fast and slow modes apart in a few seconds. BENCH_CPU=<n>|fastest|slowest pins the
// main thread (bench/cpu.mjs). Prints one JSON line: CPU and wall rates, GC, faults, vCPU per pass.
import { PerformanceObserver } from 'node:perf_hooks';
import { createMarket } from '../dist/index.js';
import { currentCpu, memoryLatencyByCpu, pinMainThread } from './cpu.mjs';
import { bookCommands, bookConfig } from './instances.mjs';

const passes = Number(process.env.BOOK_PASSES ?? 2);
const latency = memoryLatencyByCpu();
const wanted = process.env.BENCH_CPU;
let pinned = null;
if (wanted !== undefined && wanted !== '') {
  const pick = wanted === 'slowest' ? Math.max(...latency) : Math.min(...latency);
  const cpu = wanted === 'fastest' || wanted === 'slowest' ? latency.indexOf(pick) : Number(wanted);
  if (pinMainThread(cpu)) pinned = cpu;
}
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([e.startTime, e.duration]);
}).observe({ entryTypes: ['gc'] });

const config = bookConfig();
const commands = bookCommands(createMarket(config), 1_000_000);
const warm = createMarket(config);
for (let i = 0; i < 200_000; i++) warm.apply(commands[i]);
const cpu = [];
const wall = [];
const windows = [];
const faults = [];
const sysMs = [];
const vcpu = [];
let events = 0;
for (let pass = 0; pass < passes; pass++) {
  const m = createMarket(config);
  events = 0;
  const f0 = process.resourceUsage().minorPageFault;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < commands.length; i++) events += m.apply(commands[i]).length;
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  windows.push([t0, t1]);
  cpu.push(Math.round(commands.length / ((c.user + c.system) / 1e6)));
  wall.push(Math.round(commands.length / ((t1 - t0) / 1000)));
  sysMs.push(Math.round(c.system / 1000));
  faults.push(process.resourceUsage().minorPageFault - f0);
  vcpu.push(currentCpu());
}
await new Promise((r) => setTimeout(r, 10));
const gcMs = windows.map(([a, b]) =>
  Math.round(gcs.filter(([t]) => t >= a && t < b).reduce((x, [, d]) => x + d, 0)),
);
console.log(JSON.stringify({ latency, pinned, vcpu, cpu, wall, gcMs, sysMs, faults, events }));
