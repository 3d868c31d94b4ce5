// The engine's four authority validators in a worker thread (CHAIN_MODE=local on PostgreSQL), so
// their consensus work — vote and block checks, signatures, block execution, their store writes —
// runs beside the thread that answers traders instead of on it. They run as a LocalNetwork over the
// in-memory transport with their own PostgreSQL pool and PgChainStores; the engine's thread follows
// them as a member of that network across the worker's port (`bridgeToPort`), and controls them
// (status, stop/start and link cuts for scenario tests) with `control` frames on the same port.
import { readlinkSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getPriority, setPriority } from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import {
  bridgeToPort,
  decodeTx,
  genesisFromJson,
  keyPairFromSeed,
  LocalNetwork,
  type ChainNode,
  type NodeConsensusStatus,
} from '@gridtokenx/chain';
import { createPool } from '../db/pg.ts';
import {
  EngineChainClock,
  engineNowOf,
  lastBlockTimeMs,
  type ChainClockSpec,
} from './chain-clock.ts';
import { PgChainStore, SignStateWrites } from './store.ts';

export interface ValidatorWorkerData {
  readonly databaseUrl: string;
  readonly genesisJson: string;
  /** Names (EGAT, MEA, PEA, ERC) and 32-byte seeds, in the same order. */
  readonly names: readonly string[];
  readonly validatorKeys: readonly Uint8Array[];
  /** The engine's node's id on the validators' network. */
  readonly followerId: string;
  readonly minBlockIntervalMs: number;
  readonly clock: ChainClockSpec;
  /** How often the validators' status is posted (ms). */
  readonly statusEveryMs: number;
  /** The thread's nice value (0–19; 0 leaves it as the engine's). */
  readonly nice: number;
}

/** Which OS thread the validators run on and at what nice value (Linux), as the thread set it. */
export interface ValidatorOsThread {
  /** The kernel's thread id, or null where /proc/thread-self does not exist (not Linux). */
  readonly tid: number | null;
  /** The nice value in effect, or null when unknown. */
  readonly nice: number | null;
  /** Why the requested nice value could not be set, if it could not. */
  readonly error?: string;
}

export type ControlOp =
  | { readonly op: 'status' }
  | { readonly op: 'stop' | 'start'; readonly name: string }
  | { readonly op: 'isolate'; readonly name: string }
  | { readonly op: 'heal' }
  | { readonly op: 'submit'; readonly name: string; readonly tx: Uint8Array }
  | { readonly op: 'hasTx'; readonly name: string; readonly hash: string }
  | { readonly op: 'shutdown' }
  /** Scenario tests: exit at once, as on an uncaught error. */
  | { readonly op: 'crash' };

/** Frames the worker posts besides the chain's own (`chain-msg`, `chain-peers`). */
export type WorkerFrame =
  | { readonly kind: 'ready'; readonly height: number; readonly osThread: ValidatorOsThread }
  | { readonly kind: 'status'; readonly validators: readonly NodeConsensusStatus[] }
  | {
      readonly kind: 'control-reply';
      readonly id: number;
      readonly ok: boolean;
      readonly value?: unknown;
      readonly message?: string;
    }
  | {
      readonly kind: 'log';
      readonly level: 'warn' | 'error' | 'fatal';
      readonly msg: string;
      readonly fields: Record<string, unknown>;
    }
  | { readonly kind: 'start-failed'; readonly message: string };

/**
 * A V8 CPU profile of this thread (`node --cpu-prof` covers the engine's thread only), written to
 * VALIDATOR_CPU_PROF_DIR when the thread shuts down: a diagnostic for benchmarks.
 */
function startProfile(dir: string | undefined): (() => Promise<void>) | null {
  if (!dir) return null;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  return () =>
    new Promise((resolve) => {
      session.post('Profiler.stop', (err, result) => {
        if (!err) {
          const file = path.join(dir, `validators-${Date.now()}.cpuprofile`);
          writeFileSync(file, JSON.stringify(result.profile));
        }
        session.disconnect();
        resolve();
      });
    });
}

/**
 * Lowers this thread's CPU priority. The validators' work has a finality budget of a second; the
 * engine's thread answers traders within milliseconds. On two busy cores the kernel otherwise
 * shares CPU evenly, so a block check could delay acknowledgements; at nice 10 the engine's thread
 * gets about nine tenths of a contended core and the validators take what is left. Raising a
 * thread's nice value needs no privilege. On Linux a thread's id names it to setpriority(2).
 */
function lowerPriority(nice: number): ValidatorOsThread {
  let tid: number;
  try {
    tid = Number(path.basename(readlinkSync('/proc/thread-self')));
  } catch {
    return { tid: null, nice: null };
  }
  try {
    if (nice > 0) setPriority(tid, nice);
    return { tid, nice: getPriority(tid) };
  } catch (err) {
    return { tid, nice: null, error: err instanceof Error ? err.message : String(err) };
  }
}

async function main(
  port: NonNullable<typeof parentPort>,
  data: ValidatorWorkerData,
): Promise<void> {
  const stopProfile = startProfile(process.env.VALIDATOR_CPU_PROF_DIR);
  const osThread = lowerPriority(data.nice);
  const post = (frame: WorkerFrame): void => port.postMessage(frame);
  const log = (level: 'warn' | 'error' | 'fatal', msg: string, fields: Record<string, unknown>) =>
    post({ kind: 'log', level, msg, fields });
  const genesis = genesisFromJson(data.genesisJson);
  const pool = createPool(data.databaseUrl, {
    // Each validator writes one block and its signing state at a time.
    max: data.validatorKeys.length,
    applicationName: 'gridtokenx-validators',
    onIdleError: (err) =>
      log('warn', 'a validator database connection failed; it will be replaced', {
        error: err.message,
      }),
  });
  // Each store is keyed by its validator's address, as in the engine's thread; their signing-state
  // writes share group commits.
  const signStates = new SignStateWrites(pool);
  const stores = data.validatorKeys.map(
    (seed) => new PgChainStore(pool, keyPairFromSeed(seed).address, signStates),
  );
  const clock = new EngineChainClock(
    engineNowOf(data.clock),
    await lastBlockTimeMs(stores, genesis),
  );
  const network = await LocalNetwork.start({
    genesis,
    validatorKeys: data.validatorKeys,
    stores,
    clock,
    timeouts: { minBlockIntervalMs: data.minBlockIntervalMs },
    onFatal: (error) =>
      log('fatal', 'chain validator failed', { error: error.message, stack: error.stack }),
    onRestart: (address, error) =>
      log('warn', 'chain validator restarted from its store', {
        validator: address,
        after: error.message,
      }),
  });
  network.subscribe((event) => {
    if (event.type === 'commit') clock.observeBlock(event.timeMs);
  });
  const bridge = bridgeToPort(network.network, {
    chainId: genesis.chainId,
    id: data.followerId,
    port,
    onWarning: (message) => log('warn', 'chain thread bridge', { message }),
  });
  const byName = (name: string): ChainNode => {
    const node = network.nodes[data.names.indexOf(name)];
    if (!node) throw new Error(`no validator named ${name}`);
    return node;
  };
  const everyone = [...network.nodes.map((n) => n.address!), data.followerId];

  const control = async (c: ControlOp): Promise<unknown> => {
    switch (c.op) {
      case 'status':
        return network.consensusStatus();
      case 'stop':
        return byName(c.name).stop();
      case 'start':
        return byName(c.name).start();
      case 'isolate':
        network.network.isolate(
          c.name === 'engine' ? data.followerId : byName(c.name).address!,
          everyone,
        );
        return undefined;
      case 'heal':
        network.network.heal();
        return undefined;
      case 'submit':
        return byName(c.name).submit(decodeTx(genesis.chainId, c.tx));
      case 'hasTx':
        return (await byName(c.name).query.tx(c.hash)) !== null;
      case 'crash':
        return process.exit(70); // in a worker: ends this thread only
      case 'shutdown':
        clearInterval(statusTimer);
        bridge.close();
        await network.stop();
        await pool.end();
        await stopProfile?.();
        return undefined;
    }
  };
  port.on('message', (value: unknown) => {
    const frame = value as { kind?: unknown; id?: number; control?: ControlOp };
    if (frame.kind !== 'control' || frame.id === undefined || !frame.control) return;
    const id = frame.id;
    control(frame.control).then(
      (result) => post({ kind: 'control-reply', id, ok: true, value: result }),
      (err: unknown) =>
        post({
          kind: 'control-reply',
          id,
          ok: false,
          message: err instanceof Error ? err.message : String(err),
        }),
    );
  });
  const statusTimer = setInterval(
    () => post({ kind: 'status', validators: network.consensusStatus() }),
    data.statusEveryMs,
  );
  post({ kind: 'status', validators: network.consensusStatus() });
  if (osThread.error !== undefined) {
    log('warn', "could not lower the validators' thread priority; it competes evenly for CPU", {
      nice: data.nice,
      error: osThread.error,
    });
  }
  post({ kind: 'ready', height: network.query.head().height, osThread });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as ValidatorWorkerData).catch((err: unknown) => {
    port.postMessage({
      kind: 'start-failed',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    } satisfies WorkerFrame);
  });
}
