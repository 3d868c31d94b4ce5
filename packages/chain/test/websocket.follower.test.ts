// A follower (a ChainNode without a validator key, its transport not listening) joins four
// validators over WebSocket. Its id sorts above every validator's address, so under the
// listening nodes' rule (the lower address dials) no one would ever connect it: an outbound-only
// transport dials every peer itself (NET-1). It follows commits and its own submission is final.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainNode } from '../src/internal/node/node.ts';
import type { CommitEvent } from '../src/internal/node/events.ts';
import { MemoryStore } from '../src/internal/store/memory-store.ts';
import { WebSocketTransport } from '../src/internal/transport/websocket.ts';
import { BUYERS, CHAIN_ID, SELLERS, VALIDATORS, testGenesis } from './support/fixtures.ts';
import { thbOf, trade } from './support/txs.ts';
import { waitFor } from './support/wait.ts';

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

const running: ChainNode[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop();
});

describe('a follower over WebSocket (NET-1)', () => {
  it('an outbound-only follower with the highest id reaches every validator, follows commits and gets its transaction final', async () => {
    const genesis = { ...testGenesis(), genesisTimeMs: Date.now() - 1_000 };
    const ports = await Promise.all(VALIDATORS.map(() => freePort()));
    const peers = VALIDATORS.map((k, i) => ({
      address: k.address,
      url: `ws://127.0.0.1:${ports[i]}`,
    }));
    const timeouts = { idleBlockMs: 300, proposeMs: 1_000 };
    for (const [i, k] of VALIDATORS.entries()) {
      const node = new ChainNode({
        genesis,
        store: new MemoryStore(),
        transport: new WebSocketTransport({
          chainId: CHAIN_ID,
          self: k.address,
          listen: { host: '127.0.0.1', port: ports[i]! },
          peers: peers.filter((p) => p.address !== k.address),
        }),
        validatorKey: k.secretKey,
        timeouts,
      });
      running.push(node);
      await node.start();
    }
    const followerId = 'f'.repeat(64);
    expect(VALIDATORS.every((v) => v.address < followerId)).toBe(true);
    const transport = new WebSocketTransport({ chainId: CHAIN_ID, self: followerId, peers });
    const follower = new ChainNode({ genesis, store: new MemoryStore(), transport, timeouts });
    running.push(follower);
    const commits: CommitEvent[] = [];
    follower.subscribe((e) => {
      if (e.type === 'commit') commits.push(e);
    });
    await follower.start();

    expect(await waitFor(() => transport.peers().length === VALIDATORS.length, 10_000)).toBe(true);
    expect(await waitFor(() => follower.headInfo().height >= 2, 15_000)).toBe(true);

    const tx = trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!));
    const submitted = follower.submit(tx);
    expect(submitted.ok).toBe(true);
    expect(
      await waitFor(() => commits.some((c) => c.txs.some((t) => t.hash === tx.hash)), 15_000),
    ).toBe(true);
    const at = commits.find((c) => c.txs.some((t) => t.hash === tx.hash))!.height;
    for (const v of running.slice(0, 4)) {
      expect(await waitFor(() => v.headInfo().height >= at, 5_000)).toBe(true);
      expect((await v.storeRef.block(at))?.hash).toBe((await follower.storeRef.block(at))?.hash);
    }
  });
});
