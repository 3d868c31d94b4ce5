// Quick probe: in-process throughput at one offered rate (used while tuning; run.mjs is the bench).
import { LocalNetwork } from '../dist/index.js';
import { AUTHORITIES, makeBuyers, makeGenesis, percentile, tradeFactory } from './setup.mjs';

const rate = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 8);
const buyers = makeBuyers(2000);
const genesis = makeGenesis(buyers);
const next = tradeFactory(buyers);
const txs = Array.from({ length: rate * seconds }, next);
const net = await LocalNetwork.start({
  genesis,
  validatorKeys: AUTHORITIES.map((a) => a.pair.secretKey),
});
const sent = new Map();
const lat = [];
let blocks = 0;
net.subscribe((e) => {
  if (e.type !== 'commit') return;
  blocks++;
  const now = performance.now();
  for (const t of e.txs) {
    const s = sent.get(t.hash);
    if (s !== undefined) lat.push(now - s);
  }
});
let rejected = 0;
const t0 = performance.now();
let i = 0;
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const due = Math.min(txs.length, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (i < due) {
      const tx = txs[i++];
      sent.set(tx.hash, performance.now());
      const r = net.submit(tx);
      if (!r.ok) rejected++;
    }
    if (i >= txs.length) {
      clearInterval(timer);
      resolve();
    }
  }, 10);
});
const deadline = performance.now() + 10_000;
while (lat.length < txs.length - rejected && performance.now() < deadline)
  await new Promise((r) => setTimeout(r, 50));
const elapsed = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rate,
    committed: lat.length,
    rejected,
    blocks,
    tps: Math.round(lat.length / elapsed),
    p50: Math.round(percentile(lat, 50)),
    p99: Math.round(percentile(lat, 99)),
  }),
);
await net.stop();
process.exit(0);
