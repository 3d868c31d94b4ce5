// Four real validator processes (bin/node.mjs over the built dist, file stores, WebSocket on
// loopback): they commit, a client's transactions are finalised, and after one process is killed
// with SIGKILL mid-run the other three keep committing the same blocks (CONS-4, NET-1..3).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { genesisToJson } from '../src/internal/state/genesis-json.ts';
import { thailandGenesis } from '../src/internal/state/thailand.ts';
import { ChainClient } from '../src/internal/transport/websocket.ts';
import { BUYERS, CHAIN_ID, CLEARING, EGAT, ERC, MEA, PEA, SELLERS } from './support/fixtures.ts';
import { thbOf, trade } from './support/txs.ts';
import { waitFor } from './support/wait.ts';

const NODE_BIN = fileURLToPath(new URL('../bin/node.mjs', import.meta.url));
const NAMES = ['EGAT', 'MEA', 'PEA', 'ERC'] as const;
const KEYS = [EGAT, MEA, PEA, ERC];

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly commits: Map<number, string>;
  readonly stderr: string[];
}

/** On failure, show what the validators said (their stderr is JSON lines). */
function diagnostics(): string {
  return procs
    .map((p) => `${p.name}: ${p.stderr.join('').split('\n').slice(-5).join('\n')}`)
    .join('\n');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

const procs: Proc[] = [];
let dir = '';
afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('four validator processes over WebSocket (NET-1..3)', () => {
  it(
    'four real processes over WebSocket, one killed mid-run, commits continue',
    { timeout: 180_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'gtx-ws-'));
      const genesis = thailandGenesis({
        chainId: CHAIN_ID,
        genesisTimeMs: Date.now(),
        authorities: { EGAT: EGAT.address, MEA: MEA.address, PEA: PEA.address, ERC: ERC.address },
        accounts: [
          { address: CLEARING.address, roles: ['CLEARING'], stakeSatang: 10_000_000n },
          ...BUYERS.map((b) => ({
            address: b.address,
            thbSatang: 100_000_000n,
            mandates: [CLEARING.address],
          })),
          ...SELLERS.map((s) => ({
            address: s.address,
            gtWh: 1_000_000n,
            mandates: [CLEARING.address],
          })),
        ],
      });
      await writeFile(join(dir, 'genesis.json'), genesisToJson(genesis));
      const ports = await Promise.all(KEYS.map(() => freePort()));
      const peers = KEYS.map((k, i) => ({ address: k.address, url: `ws://127.0.0.1:${ports[i]}` }));
      for (const [i, k] of KEYS.entries()) {
        const name = NAMES[i]!;
        await writeFile(join(dir, `${name}.key`), toHex(k.secretKey));
        const config = {
          genesis: 'genesis.json',
          keyFile: `${name}.key`,
          dataDir: `data-${name}`,
          listen: { host: '127.0.0.1', port: ports[i] },
          peers: peers.filter((p) => p.address !== k.address),
          timeouts: { idleBlockMs: 400, proposeMs: 1_500 },
        };
        const configPath = join(dir, `${name}.json`);
        await writeFile(configPath, JSON.stringify(config));
        const child = spawn(process.execPath, [NODE_BIN, '--config', configPath], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const proc: Proc = { name, child, commits: new Map(), stderr: [] };
        let buf = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d: string) => {
          buf += d;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const e = JSON.parse(line) as {
              event: string;
              height: number;
              hash: string;
              txs: number;
              round: number;
            };
            expect(e.event).toBe('commit');
            expect(typeof e.txs).toBe('number');
            expect(typeof e.round).toBe('number');
            proc.commits.set(e.height, e.hash);
          }
        });
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (d: string) => proc.stderr.push(d));
        procs.push(proc);
      }
      const height = (p: Proc): number => Math.max(0, ...p.commits.keys());
      expect(await waitFor(() => procs.every((p) => height(p) >= 3), 60_000), diagnostics()).toBe(
        true,
      );

      // A client submits trades over WebSocket to one validator and hears them committed.
      const committed = new Set<string>();
      const client = await ChainClient.connect(peers[1]!.url, CHAIN_ID, {
        onCommitted: (n) => n.txHashes.forEach((h) => committed.add(h)),
      });
      const txs = BUYERS.slice(0, 4).map((b, i) => trade(b, SELLERS[i]!, thbOf(b)));
      client.submitBytes(txs.map((t) => t.bytes));
      expect(
        await waitFor(() => txs.every((t) => committed.has(t.hash)), 30_000),
        diagnostics(),
      ).toBe(true);
      client.close();

      // Kill one validator mid-run.
      const victim = procs[3]!;
      victim.child.kill('SIGKILL');
      const survivors = procs.slice(0, 3);
      const at = Math.max(...survivors.map(height));
      expect(
        await waitFor(() => survivors.every((p) => height(p) >= at + 4), 60_000),
        diagnostics(),
      ).toBe(true);
      for (let h = 1; h <= at + 4; h++) {
        const hashes = new Set(
          survivors.map((p) => p.commits.get(h)).filter((x) => x !== undefined),
        );
        expect(hashes.size).toBeLessThanOrEqual(1);
      }
      for (let h = 1; h <= height(victim); h++) {
        if (survivors[0]!.commits.has(h))
          expect(victim.commits.get(h)).toBe(survivors[0]!.commits.get(h));
      }
    },
  );
});
