// What a rule handler works with: the staged state, the block environment and a ledger that
// counts every coin created, spent, locked and unlocked. At the end of each transaction the
// per-asset change in holdings must equal what the transaction minted minus what it burned
// (COIN-2); if not, the handler has a bug and we throw rather than commit corrupt state.
import { ChainError, reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import { outpointKey } from '../../tx/fields.ts';
import type { FungibleAsset, Outpoint, Role } from '../../tx/fields.ts';
import type { Tx } from '../../tx/tx.ts';
import type { ChainParams } from '../params.ts';
import type { AccountRecord, GridRecord, ZoneRecord } from '../records.ts';
import { keyOf, SINGLETON, TABLES } from '../records.ts';
import { getRecord, putRecord } from '../view.ts';
import type { Overlay } from '../view.ts';

export interface ExecEnv {
  readonly chainId: string;
  /** Height of the block the transaction goes into. */
  readonly height: number;
  /** That block's time, ms since the epoch (from its header, never from a clock). */
  readonly timeMs: number;
  readonly params: ChainParams;
  /** Stamp bits demanded of signers without stake (POW-1, POW-2). */
  readonly powBits: number;
}

type Amounts = Record<FungibleAsset, bigint>;
const zero = (): Amounts => ({ GT: 0n, THB: 0n });

export class TxContext {
  readonly outputs: Outpoint[] = [];
  private readonly held = zero();
  private readonly minted = zero();
  private readonly burned = zero();

  constructor(
    readonly view: Overlay,
    readonly env: ExecEnv,
    readonly tx: Tx,
  ) {}

  /**
   * COIN-1: spends `inputs`, all owned by `owner` and of `asset` (or of any fungible asset
   * when `asset` is null). Returns the total per asset.
   */
  spend(
    inputs: readonly Outpoint[],
    owner: string,
    asset: FungibleAsset | null,
  ): Amounts | Rejection {
    const totals = zero();
    const seen = new Set<string>();
    for (const op of inputs) {
      const opKey = outpointKey(op);
      if (seen.has(opKey)) return reject('CHAIN_DUPLICATE_INPUT', `input ${opKey} listed twice`);
      seen.add(opKey);
      const utxo = getRecord(this.view, 'utxo', opKey);
      if (utxo === undefined)
        return reject('CHAIN_INPUT_UNAVAILABLE', `input ${opKey} is unknown or spent`);
      if (utxo.owner !== owner)
        return reject('CHAIN_NOT_OWNER', `input ${opKey} is not owned by ${owner}`);
      if (asset !== null && utxo.asset !== asset) {
        return reject('CHAIN_WRONG_ASSET', `input ${opKey} holds ${utxo.asset}, expected ${asset}`);
      }
      totals[utxo.asset] += utxo.amount;
      this.held[utxo.asset] -= utxo.amount;
      this.view.del(keyOf(TABLES.utxo, opKey));
    }
    return totals;
  }

  /** COIN-3: a new coin at outpoint (tx hash, next index). */
  create(owner: string, asset: FungibleAsset, amount: bigint): Outpoint {
    if (amount <= 0n) throw new ChainError('CHAIN_INVARIANT', `non-positive output ${amount}`);
    const op = { txHash: this.tx.hash, index: this.outputs.length };
    this.outputs.push(op);
    this.held[asset] += amount;
    putRecord(this.view, 'utxo', outpointKey(op), {
      owner,
      asset,
      amount,
      height: this.env.height,
    });
    return op;
  }

  /** Value moved from coins into escrow or stake (still held, not spendable). */
  lock(asset: FungibleAsset, amount: bigint): void {
    this.held[asset] += amount;
  }

  unlock(asset: FungibleAsset, amount: bigint): void {
    this.held[asset] -= amount;
  }

  mint(asset: FungibleAsset, amount: bigint): void {
    this.minted[asset] += amount;
  }

  burn(asset: FungibleAsset, amount: bigint): void {
    this.burned[asset] += amount;
  }

  /** COIN-2 check and supply bookkeeping; throws on a conservation bug. */
  finish(): void {
    for (const asset of ['GT', 'THB'] as const) {
      if (this.held[asset] !== this.minted[asset] - this.burned[asset]) {
        throw new ChainError(
          'CHAIN_INVARIANT',
          `conservation violated by ${this.tx.kind} ${this.tx.hash}: ${asset} holdings changed by ` +
            `${this.held[asset]} but minted ${this.minted[asset]} and burned ${this.burned[asset]}`,
        );
      }
      if (this.minted[asset] !== 0n || this.burned[asset] !== 0n) {
        addSupply(this.view, asset, this.minted[asset], this.burned[asset]);
      }
    }
  }
}

export function addSupply(
  view: Overlay,
  asset: FungibleAsset,
  minted: bigint,
  burned: bigint,
): void {
  const s = getRecord(view, 'supply', asset) ?? { minted: 0n, burned: 0n };
  putRecord(view, 'supply', asset, { minted: s.minted + minted, burned: s.burned + burned });
}

export function accountOf(view: Overlay, address: string): AccountRecord | undefined {
  return getRecord(view, 'account', address);
}

export function emptyAccount(): AccountRecord {
  return { name: '', roles: [], mandates: [], bondedSatang: 0n, unbonding: [] };
}

export function hasRole(view: Overlay, address: string, role: Role): boolean {
  return accountOf(view, address)?.roles.includes(role) ?? false;
}

export function requireRole(view: Overlay, address: string, role: Role): Rejection | null {
  return hasRole(view, address, role)
    ? null
    : reject('CHAIN_UNAUTHORIZED', `${address} lacks role ${role}`);
}

/** An authority that currently holds voting power. */
export function isActiveValidator(view: Overlay, address: string): boolean {
  const v = getRecord(view, 'validator', address);
  return v !== undefined && v.active && !v.jailed;
}

export function gridOf(view: Overlay): GridRecord {
  const grid = getRecord(view, 'grid', SINGLETON);
  if (grid === undefined) throw new ChainError('CHAIN_INVARIANT', 'grid record missing');
  return grid;
}

export function zoneOf(view: Overlay, zone: string): ZoneRecord | undefined {
  return gridOf(view).zones.find((z) => z.id === zone);
}

export function requireAmount(value: bigint, what: string): Rejection | null {
  return value > 0n ? null : reject('CHAIN_BAD_AMOUNT', `${what} must be positive`);
}

/** EN-1: interval starts are aligned to the settlement interval. */
export function isAlignedInterval(startMs: number, params: ChainParams): boolean {
  return startMs % params.intervalMs === 0;
}
