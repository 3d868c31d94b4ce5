// Which vCPU the bench's main thread runs on, and how slow memory is from each one. On the shared
// 2-vCPU VM the two vCPUs can differ in memory latency by 30-40% (host placement, which moves over
// time), and a process keeps the vCPU it started on: that is the bench's fast and slow "modes".
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The vCPU the calling thread last ran on (Linux), or -1. */
export function currentCpu() {
  try {
    // Field 39 of /proc/thread-self/stat; fields after the command name start at field 3.
    return Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[36]);
  } catch {
    return -1;
  }
}

/**
 * Restricts the main thread (not V8's GC and compiler threads) to `cpu`, or to every vCPU for
 * `undefined`. Linux with util-linux `taskset` only; returns false where that is not available.
 */
export function pinMainThread(cpu) {
  const list = cpu === undefined ? `0-${cpus().length - 1}` : String(cpu);
  try {
    execFileSync('taskset', ['-p', '-c', list, String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let walkArray;

/** Nanoseconds per step of a dependent random walk over 64 MiB (cache and TLB misses). */
function walkNs() {
  if (walkArray === undefined) {
    // One random cycle through every slot (Sattolo), so each step depends on a cache miss.
    walkArray = new Int32Array(1 << 24);
    for (let i = 0; i < walkArray.length; i++) walkArray[i] = i;
    let x = 12345;
    for (let i = walkArray.length - 1; i > 0; i--) {
      x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b1) | 0;
      const j = (x >>> 0) % i;
      const t = walkArray[i];
      walkArray[i] = walkArray[j];
      walkArray[j] = t;
    }
  }
  const steps = 2_000_000;
  let k = 0;
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) k = walkArray[k];
  const c = process.cpuUsage(c0);
  if (k < 0) throw new Error('unreachable');
  return Math.round(((c.user + c.system) * 1000) / steps);
}

/**
 * Memory latency (ns per dependent miss, best of 2) measured from each vCPU in turn, e.g.
 * `[262, 195]`; empty where the main thread cannot be pinned. Leaves the thread unpinned.
 */
export function memoryLatencyByCpu() {
  const result = [];
  for (let cpu = 0; cpu < cpus().length; cpu++) {
    if (!pinMainThread(cpu)) return [];
    result.push(Math.min(walkNs(), walkNs()));
  }
  pinMainThread(undefined);
  // Free the 64 MiB before anything is timed (it is external memory to V8's heap accounting).
  walkArray = undefined;
  return result;
}
