#!/usr/bin/env node
// Standalone validator: `npm run chain:node -- --config <file>` runs one validator with a file
// store over WebSocket and prints one JSON line per committed block to stdout
// ({"event":"commit","height":…,"hash":…,"txs":…,"round":…}); everything else goes to stderr.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  ChainNode,
  FileStore,
  WebSocketTransport,
  PROCESS_TIMEOUTS,
  genesisFromJson,
  keyPairFromSeed,
} from '../dist/index.js';

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function log(event, fields = {}) {
  process.stderr.write(`${JSON.stringify({ event, ...fields })}\n`);
}

const configArg = arg('--config');
if (configArg === undefined) {
  log('error', { message: 'usage: node bin/node.mjs --config <file>' });
  process.exit(2);
}
// npm runs workspace scripts in the package folder; resolve relative paths from where npm was run.
const base = process.env.INIT_CWD ?? process.cwd();
const configPath = isAbsolute(configArg) ? configArg : resolve(base, configArg);
const configDir = dirname(configPath);
const config = JSON.parse(await readFile(configPath, 'utf8'));
const at = (p) => (isAbsolute(p) ? p : resolve(configDir, p));

const genesis =
  typeof config.genesis === 'string'
    ? genesisFromJson(await readFile(at(config.genesis), 'utf8'))
    : genesisFromJson(JSON.stringify(config.genesis));
const seedHex = (await readFile(at(config.keyFile), 'utf8')).trim();
const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
const me = keyPairFromSeed(seed);
const store = await FileStore.open(at(config.dataDir));
const transport = new WebSocketTransport({
  chainId: genesis.chainId,
  self: me.address,
  listen: config.listen,
  peers: config.peers ?? [],
  onWarning: (message) => log('warning', { message }),
});
const node = new ChainNode({
  genesis,
  store,
  transport,
  validatorKey: seed,
  // A validator process paces its blocks (BLK-5) unless its config sets its own timeouts.
  timeouts: { ...PROCESS_TIMEOUTS, ...config.timeouts },
  ...(config.mempoolMaxTxs ? { mempoolMaxTxs: config.mempoolMaxTxs } : {}),
  ...(process.argv.includes('--trace') || config.trace
    ? { trace: (event, fields) => log(event, { t: Date.now(), ...fields }) }
    : {}),
  onFatal: (error) => {
    log('fatal', { message: error.message, code: error.code });
    process.exit(1);
  },
});
node.subscribe((e) => {
  if (e.type === 'commit') {
    process.stdout.write(
      `${JSON.stringify({ event: 'commit', height: e.height, hash: e.hash, txs: e.txs.length, round: e.round })}\n`,
    );
  }
});
await node.start();
const cpuAtStart = process.cpuUsage();
log('started', {
  cpuMs: Math.round((cpuAtStart.user + cpuAtStart.system) / 1000),
  address: me.address,
  height: node.headInfo().height,
  listen: config.listen ?? null,
  pid: process.pid,
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log('stopping', { signal });
  await node.stop();
  await store.close();
  const cpu = process.cpuUsage();
  log('stopped', {
    height: node.headInfo().height,
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
  });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
