#!/usr/bin/env node
// Local devnet: `npm run chain:devnet [-- --dir <folder> --base-port <port>]` writes keys, a
// Thailand genesis and four validator configs into a folder (reused on the next run, so the chain
// resumes), starts the four validators as separate processes on loopback, prints each one's
// process id, and stops them on Ctrl-C. Each validator's commit lines go to <folder>/<name>.log.
// The folder (genesis.json, <name>.key incl. clearing.key and bank.key, <name>.json with the
// listen ports) is what an engine reads with CHAIN_MODE=devnet CHAIN_DEVNET_DIR=<folder>.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genesisToJson, keyPairFromSeed, thailandGenesis } from '../dist/index.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.INIT_CWD ?? process.cwd();
const dirArg = arg('--dir', '.chain-devnet');
const dir = isAbsolute(dirArg) ? dirArg : resolve(base, dirArg);
const basePort = Number(arg('--base-port', '26650'));
const NAMES = ['EGAT', 'MEA', 'PEA', 'ERC'];

async function keyFor(name) {
  const path = join(dir, `${name.toLowerCase()}.key`);
  if (!existsSync(path))
    await writeFile(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const seed = Uint8Array.from(Buffer.from((await readFile(path, 'utf8')).trim(), 'hex'));
  return { path, pair: keyPairFromSeed(seed) };
}

await mkdir(dir, { recursive: true });
const validators = [];
for (const name of NAMES) validators.push({ name, ...(await keyFor(name)) });
const clearing = await keyFor('clearing');
const bank = await keyFor('bank');

const genesisPath = join(dir, 'genesis.json');
if (!existsSync(genesisPath)) {
  const byName = Object.fromEntries(validators.map((v) => [v.name, v.pair.address]));
  const genesis = thailandGenesis({
    chainId: 'gridtokenx-devnet-1',
    genesisTimeMs: Date.now(),
    authorities: byName,
    accounts: [
      {
        address: clearing.pair.address,
        name: 'Exchange clearing',
        roles: ['CLEARING'],
        stakeSatang: 100_000_000n,
        // What an engine joining the devnet (CHAIN_MODE=devnet) needs of its clearing house, as
        // in the engine's own genesis: a float to pay day-ahead sellers before buyers' escrows
        // release, and a mandate to itself (it is the auction's counterparty, and every buyer
        // of a trade must mandate the clearing account).
        thbSatang: 10_000_000_000n,
        mandates: [clearing.pair.address],
      },
      {
        address: bank.pair.address,
        name: 'Settlement bank',
        roles: ['SETTLEMENT_BANK'],
        stakeSatang: 100_000_000n,
      },
    ],
  });
  await writeFile(genesisPath, genesisToJson(genesis));
}

const peers = validators.map((v, i) => ({
  address: v.pair.address,
  url: `ws://127.0.0.1:${basePort + i}`,
}));
const children = [];
for (const [i, v] of validators.entries()) {
  const configPath = join(dir, `${v.name.toLowerCase()}.json`);
  const config = {
    genesis: 'genesis.json',
    keyFile: `${v.name.toLowerCase()}.key`,
    dataDir: `data/${v.name.toLowerCase()}`,
    listen: { host: '127.0.0.1', port: basePort + i },
    peers: peers.filter((p) => p.address !== v.pair.address),
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const out = openSync(join(dir, `${v.name.toLowerCase()}.log`), 'a');
  const err = openSync(join(dir, `${v.name.toLowerCase()}.err.log`), 'a');
  const child = spawn(process.execPath, [join(here, 'node.mjs'), '--config', configPath], {
    stdio: ['ignore', out, err],
  });
  children.push(child);
  process.stdout.write(
    `${JSON.stringify({ event: 'validator', name: v.name, pid: child.pid, port: basePort + i, address: v.pair.address, config: configPath })}\n`,
  );
  child.on('exit', (code, signal) => {
    process.stdout.write(
      `${JSON.stringify({ event: 'exit', name: v.name, pid: child.pid, code, signal })}\n`,
    );
  });
}
process.stdout.write(
  `${JSON.stringify({ event: 'devnet', dir, chainId: 'gridtokenx-devnet-1', pids: children.map((c) => c.pid) })}\n`,
);

function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 1_000).unref();
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
