// A follower across a MessagePort (the engine's validators run in a worker thread): four
// validators on a LocalNetwork, a bridge member on their MemoryNetwork, and a node without a key
// whose PortTransport is the port's other end. It follows commits, its own submission becomes
// final, it hears which validators it can reach, and cutting the bridge off cuts it off.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../src/internal/bytes.ts';
import { verifyFast } from '../src/internal/crypto/node-ed25519.ts';
import type { VerifyFn } from '../src/internal/crypto/signature-rule.ts';
import { LocalNetwork } from '../src/internal/node/local-network.ts';
import type { LocalNetworkOptions } from '../src/internal/node/local-network.ts';
import { ChainNode } from '../src/internal/node/node.ts';
import { MemoryStore } from '../src/internal/store/memory-store.ts';
import { bridgeToPort, PortTransport } from '../src/internal/transport/port.ts';
import { BUYERS, CHAIN_ID, SELLERS, VALIDATORS, testGenesis } from './support/fixtures.ts';
import { thbOf, trade } from './support/txs.ts';
import { waitFor } from './support/wait.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Partial<LocalNetworkOptions> = {}) {
  const genesis = { ...testGenesis(), genesisTimeMs: Date.now() - 1_000 };
  const timeouts = { idleBlockMs: 300, proposeMs: 1_000 };
  const local = await LocalNetwork.start({
    genesis,
    validatorKeys: VALIDATORS.map((k) => k.secretKey),
    timeouts,
    ...options,
  });
  cleanups.push(() => local.stop());
  const { port1, port2 } = new MessageChannel();
  cleanups.push(() => {
    port1.close();
    port2.close();
  });
  const id = 'f'.repeat(64);
  const bridge = bridgeToPort(local.network, {
    chainId: CHAIN_ID,
    id,
    port: port1,
    peersEveryMs: 20,
  });
  cleanups.push(() => bridge.close());
  const transport = new PortTransport({ chainId: CHAIN_ID, self: id, port: port2 });
  const follower = new ChainNode({ genesis, store: new MemoryStore(), transport, timeouts });
  await follower.start();
  cleanups.push(() => follower.stop());
  return { local, follower, transport, id };
}

describe('a follower across a MessagePort', () => {
  it('follows the validators, and its own submission is final', async () => {
    const { local, follower, transport } = await setup();
    expect(await waitFor(() => transport.peers().length === VALIDATORS.length, 5_000)).toBe(true);
    expect(await waitFor(() => follower.headInfo().height >= 2, 10_000)).toBe(true);

    const tx = trade(BUYERS[0]!, SELLERS[0]!, thbOf(BUYERS[0]!));
    expect(follower.submit(tx).ok).toBe(true);
    const committed = async () => (await follower.query.tx(tx.hash)) !== null;
    const end = Date.now() + 10_000;
    while (!(await committed()) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(await committed()).toBe(true);
    // Same head and state as the validators.
    expect(
      await waitFor(() => follower.headInfo().height === local.query.head().height, 5_000),
    ).toBe(true);
    expect(follower.headInfo().hash).toBe(local.query.head().hash);
    expect(follower.query.balance(BUYERS[0]!.address, 'THB')).toBe(
      local.query.balance(BUYERS[0]!.address, 'THB'),
    );
  });

  it('is told which validators it reaches, and is cut off with its bridge', async () => {
    const { local, follower, transport, id } = await setup();
    expect(await waitFor(() => transport.peers().length === 4, 5_000)).toBe(true);
    await local.nodes[3]!.stop();
    expect(await waitFor(() => transport.peers().length === 3, 5_000)).toBe(true);
    expect(transport.peers()).not.toContain(VALIDATORS[3].address);

    local.network.isolate(
      id,
      VALIDATORS.map((v) => v.address),
    );
    expect(await waitFor(() => transport.peers().length === 0, 5_000)).toBe(true);
    const cutAt = follower.headInfo().height;
    expect(await waitFor(() => local.query.head().height >= cutAt + 2, 10_000)).toBe(true);
    expect(follower.headInfo().height).toBeLessThanOrEqual(cutAt + 1);

    local.network.heal();
    const target = local.query.head().height;
    expect(await waitFor(() => follower.headInfo().height >= target, 10_000)).toBe(true);
  });

  it('drops malformed frames and ignores traffic that is not its own', async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => {
      port1.close();
      port2.close();
    });
    const warnings: string[] = [];
    const received: string[] = [];
    const transport = new PortTransport({
      chainId: CHAIN_ID,
      self: 'me',
      port: port2,
      onWarning: (m) => warnings.push(m),
    });
    await transport.start((from, m) => received.push(`${from}:${m.type}`));
    port1.postMessage({ kind: 'chain-msg', from: 'x', to: 'me', bytes: new Uint8Array([250, 1]) });
    port1.postMessage({ kind: 'control', op: 'status' });
    port1.postMessage({
      kind: 'chain-msg',
      from: 'x',
      to: 'someone-else',
      bytes: new Uint8Array([3]),
    });
    expect(await waitFor(() => warnings.length === 1, 2_000)).toBe(true);
    expect(warnings[0]).toMatch(/malformed message from x/);
    expect(received).toEqual([]);
    await transport.stop();
  });
});

describe('signature checks shared by the validators of one process', () => {
  it('verifies each transaction and vote signature once across the four validators', async () => {
    const checks = new Map<string, number>();
    const verify: VerifyFn = (k, m, s) => {
      const id = toHex(s);
      checks.set(id, (checks.get(id) ?? 0) + 1);
      return verifyFast(k, m, s);
    };
    const { local, follower, transport } = await setup({ verify });
    expect(await waitFor(() => transport.peers().length === VALIDATORS.length, 5_000)).toBe(true);
    const txs = BUYERS.slice(0, 3).map((b, i) => trade(b, SELLERS[i]!, thbOf(b)));
    for (const tx of txs) expect(follower.submit(tx).ok).toBe(true);
    const height = () => Math.min(...local.nodes.map((n) => n.headInfo().height));
    expect(await waitFor(() => txs.every((tx) => checks.has(toHex(tx.signature))), 10_000)).toBe(
      true,
    );
    // Every validator has committed them, and a few heights of votes more.
    const until = height() + 3;
    expect(await waitFor(() => height() >= until, 10_000)).toBe(true);
    for (const tx of txs) expect(checks.get(toHex(tx.signature))).toBe(1);
    expect(checks.size).toBeGreaterThan(txs.length + 20); // the votes of those heights
    expect([...checks.values()].filter((n) => n > 1)).toEqual([]);
  });
});
