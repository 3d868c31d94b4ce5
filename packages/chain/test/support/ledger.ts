// A chain without consensus: each transaction (or list) is executed as its own block on a genesis
// state, exactly as validators execute blocks. Rule tests read as "apply; expect code".
import type { Rejection } from '../../src/errors.ts';
import { toHex } from '../../src/internal/bytes.ts';
import { verifyFast } from '../../src/internal/crypto/node-ed25519.ts';
import { executeBlock } from '../../src/internal/state/execute.ts';
import type { BlockExecution } from '../../src/internal/state/execute.ts';
import { buildGenesis } from '../../src/internal/state/genesis.ts';
import type { GenesisConfig } from '../../src/internal/state/genesis.ts';
import { CommittedState, getRecord } from '../../src/internal/state/view.ts';
import type { RecordOf, TableName } from '../../src/internal/state/records.ts';
import type { Outpoint } from '../../src/internal/tx/fields.ts';
import type { Tx } from '../../src/internal/tx/tx.ts';
import type { Evidence } from '../../src/internal/consensus/types.ts';
import { CHAIN_ID, GENESIS_TIME, testGenesis } from './fixtures.ts';

export type Outcome = { ok: true; outputs: readonly Outpoint[] } | Rejection;

export class Ledger {
  readonly state = new CommittedState();
  height = 0;
  timeMs: number;
  readonly blocks: { txs: readonly Tx[]; timeMs: number; evidence: readonly Evidence[] }[] = [];

  constructor(readonly config: GenesisConfig = testGenesis()) {
    buildGenesis(config, this.state);
    this.timeMs = config.genesisTimeMs;
  }

  /** Executes `txs` as the next block (invalid ones left out); returns each tx's outcome. */
  block(
    txs: readonly Tx[],
    opts: { advanceMs?: number; evidence?: readonly Evidence[] } = {},
  ): Outcome[] {
    this.height += 1;
    this.timeMs += opts.advanceMs ?? 60_000;
    const exec = executeBlock(
      this.state,
      {
        chainId: CHAIN_ID,
        height: this.height,
        timeMs: this.timeMs,
        txs,
        evidence: opts.evidence ?? [],
        lastCommit: null,
        verify: verifyFast,
      },
      'propose',
    ) as BlockExecution;
    this.state.apply(exec.prepared);
    this.blocks.push({
      txs: exec.applied.map((a) => a.tx),
      timeMs: this.timeMs,
      evidence: exec.evidence,
    });
    return txs.map((tx) => {
      const applied = exec.applied.find((a) => a.tx === tx);
      if (applied !== undefined) return { ok: true, outputs: applied.outputs };
      return exec.dropped.find((d) => d.tx === tx)!.rejection;
    });
  }

  apply(tx: Tx, opts: { advanceMs?: number } = {}): Outcome {
    return this.block([tx], opts)[0]!;
  }

  /** Applies and insists on success. */
  ok(tx: Tx, opts: { advanceMs?: number } = {}): readonly Outpoint[] {
    const o = this.apply(tx, opts);
    if (!o.ok) throw new Error(`${tx.kind} rejected: ${o.code} ${o.message}`);
    return o.outputs;
  }

  get<T extends TableName>(table: T, id: string): RecordOf<T> | undefined {
    return getRecord(this.state, table, id);
  }

  root(): string {
    return toHex(this.state.stateRoot());
  }

  /** Sum of every coin, open escrow and stake per asset (what supply must equal). */
  holdings(): { GT: bigint; THB: bigint } {
    const out = { GT: 0n, THB: 0n };
    for (const [key, bytes] of this.state.snapshotEntries()) {
      void bytes;
      if (key.startsWith('u:')) {
        const u = this.state.get(key) as RecordOf<'utxo'>;
        out[u.asset] += u.amount;
      } else if (key.startsWith('e:')) {
        const e = this.state.get(key) as RecordOf<'escrow'>;
        if (e.status === 'OPEN') out.THB += e.amountSatang;
      } else if (key.startsWith('a:')) {
        const a = this.state.get(key) as RecordOf<'account'>;
        out.THB += a.bondedSatang + a.unbonding.reduce((s, u) => s + u.amountSatang, 0n);
      }
    }
    return out;
  }

  supply(): { GT: bigint; THB: bigint } {
    const s = (asset: 'GT' | 'THB'): bigint => {
      const r = this.get('supply', asset)!;
      return r.minted - r.burned;
    };
    return { GT: s('GT'), THB: s('THB') };
  }
}

export const START = GENESIS_TIME;
