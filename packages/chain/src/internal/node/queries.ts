// Read-only views for the engine: balances, coins (committed or including pending submissions),
// escrows, RECs, validators, grid, governance, blocks and transactions with Merkle proofs. Reads
// of state are synchronous; reads that need the store are async.
import { isHex32 } from '../bytes.ts';
import { decodeBlock, decodeCommit, txInclusionProof } from '../block.ts';
import type { Block } from '../block.ts';
import type { CommitCertificate } from '../consensus/types.ts';
import type { InclusionProof } from '../merkle.ts';
import { isPowExempt, paramsOf } from '../state/execute.ts';
import type { ChainParams } from '../state/params.ts';
import { SINGLETON } from '../state/records.ts';
import type {
  AccountRecord,
  EscrowRecord,
  GridRecord,
  ProposalRecord,
  ReadingRecord,
  RecRecord,
} from '../state/records.ts';
import { getRecord } from '../state/view.ts';
import type { StateReader } from '../state/view.ts';
import type { FungibleAsset } from '../tx/fields.ts';
import type { Tx } from '../tx/tx.ts';
import type { ChainNode, HeadInfo } from './node.ts';

/** Blocks within which a validator's precommit marks it online (query-only, not consensus). */
export const ONLINE_WINDOW_BLOCKS = 20;

export interface Coin {
  /** "txHash:index" */
  readonly id: string;
  readonly txHash: string;
  readonly index: number;
  readonly owner: string;
  readonly asset: FungibleAsset;
  readonly amount: bigint;
  readonly height: number;
}

export interface Balances {
  readonly gtWh: bigint;
  readonly thbSatang: bigint;
  /** THB the account has in open escrows as a buyer. */
  readonly escrowedSatang: bigint;
  readonly bondedSatang: bigint;
  readonly unbondingSatang: bigint;
  readonly activeRecs: number;
}

export interface ValidatorInfo {
  readonly address: string;
  readonly name: string;
  readonly weight: number;
  readonly bondedSatang: bigint;
  readonly unbondingSatang: bigint;
  /** Power in the set that validates the next height (0 when jailed or revoked). */
  readonly votingPower: number;
  readonly active: boolean;
  readonly jailed: boolean;
  readonly slashedSatang: bigint;
  readonly lastSignedHeight: number;
  readonly online: boolean;
}

export interface EscrowInfo extends EscrowRecord {
  readonly tradeId: string;
}

export interface RecInfo extends RecRecord {
  readonly recId: string;
}

export interface ProposalInfo extends ProposalRecord {
  readonly proposalId: string;
}

export interface TxLookup {
  readonly tx: Tx;
  readonly height: number;
  readonly index: number;
  readonly blockHash: string;
  readonly txRoot: string;
  readonly txCount: number;
  readonly proof: InclusionProof;
}

export interface BlockLookup {
  readonly block: Block;
  readonly commit: CommitCertificate;
}

function coinsOf(state: StateReader, ids: Iterable<string>, asset?: FungibleAsset): Coin[] {
  const out: Coin[] = [];
  for (const id of ids) {
    const u = getRecord(state, 'utxo', id);
    if (u === undefined || (asset !== undefined && u.asset !== asset)) continue;
    const sep = id.indexOf(':');
    out.push({ id, txHash: id.slice(0, sep), index: Number(id.slice(sep + 1)), ...u });
  }
  return out.sort((a, b) => a.height - b.height || (a.id < b.id ? -1 : 1));
}

export class ChainQueries {
  constructor(private readonly node: ChainNode) {}

  private get state(): StateReader {
    return this.node.state;
  }

  head(): HeadInfo {
    return this.node.headInfo();
  }

  params(): ChainParams {
    return paramsOf(this.state);
  }

  /**
   * Coins of `owner`. With `pending: true`, coins spent by pending submissions are left out and
   * coins they create are included, so a caller can chain submissions without waiting (MEM-1).
   */
  coins(owner: string, opts: { asset?: FungibleAsset; pending?: boolean } = {}): Coin[] {
    const committed = this.node.state.utxosByOwner.get(owner) ?? new Set<string>();
    if (opts.pending !== true) return coinsOf(this.state, committed, opts.asset);
    const ids = new Set([...committed, ...this.node.mempool.pendingCoinIds(owner)]);
    return coinsOf(this.node.mempool.pendingView(), ids, opts.asset);
  }

  /**
   * Picks coins of one asset covering `amount` from the pending view, oldest first; null when the
   * owner cannot cover it.
   */
  selectCoins(owner: string, asset: FungibleAsset, amount: bigint): Coin[] | null {
    const picked: Coin[] = [];
    let sum = 0n;
    for (const coin of this.coins(owner, { asset, pending: true })) {
      picked.push(coin);
      sum += coin.amount;
      if (sum >= amount) return picked;
    }
    return null;
  }

  balance(owner: string, asset: FungibleAsset): bigint {
    return this.coins(owner, { asset }).reduce((s, c) => s + c.amount, 0n);
  }

  balances(owner: string): Balances {
    const account = getRecord(this.state, 'account', owner);
    let escrowedSatang = 0n;
    for (const e of this.escrows(owner))
      if (e.status === 'OPEN' && e.buyer === owner) escrowedSatang += e.amountSatang;
    return {
      gtWh: this.balance(owner, 'GT'),
      thbSatang: this.balance(owner, 'THB'),
      escrowedSatang,
      bondedSatang: account?.bondedSatang ?? 0n,
      unbondingSatang: (account?.unbonding ?? []).reduce((s, u) => s + u.amountSatang, 0n),
      activeRecs: this.recs(owner).filter((r) => r.status === 'ACTIVE').length,
    };
  }

  account(address: string): AccountRecord | null {
    return getRecord(this.state, 'account', address) ?? null;
  }

  escrow(tradeId: string): EscrowInfo | null {
    const e = getRecord(this.state, 'escrow', tradeId);
    return e === undefined ? null : { tradeId, ...e };
  }

  /** Escrows in which `address` is buyer or seller. */
  escrows(address: string): EscrowInfo[] {
    const ids = this.node.state.escrowsByParty.get(address) ?? new Set<string>();
    return [...ids].sort().map((id) => ({ tradeId: id, ...getRecord(this.state, 'escrow', id)! }));
  }

  rec(recId: string): RecInfo | null {
    const r = getRecord(this.state, 'rec', recId);
    return r === undefined ? null : { recId, ...r };
  }

  recs(owner: string): RecInfo[] {
    const ids = this.node.state.recsByOwner.get(owner) ?? new Set<string>();
    return [...ids].sort().map((id) => ({ recId: id, ...getRecord(this.state, 'rec', id)! }));
  }

  meterReading(meterId: string, intervalStartMs: number): ReadingRecord | null {
    return getRecord(this.state, 'reading', `${meterId}|${intervalStartMs}`) ?? null;
  }

  supply(asset: FungibleAsset): { minted: bigint; burned: bigint; outstanding: bigint } {
    const s = getRecord(this.state, 'supply', asset) ?? { minted: 0n, burned: 0n };
    return { minted: s.minted, burned: s.burned, outstanding: s.minted - s.burned };
  }

  validators(): ValidatorInfo[] {
    const head = this.node.headInfo().height;
    const set = this.node.validators;
    const addresses = getRecord(this.state, 'authorities', SINGLETON)?.addresses ?? [];
    return addresses.map((address) => {
      const v = getRecord(this.state, 'validator', address)!;
      const account = getRecord(this.state, 'account', address);
      const signed = getRecord(this.state, 'liveness', address)?.lastSignedHeight ?? 0;
      return {
        address,
        name: v.name,
        weight: v.weight,
        bondedSatang: account?.bondedSatang ?? 0n,
        unbondingSatang: (account?.unbonding ?? []).reduce((s, u) => s + u.amountSatang, 0n),
        votingPower: set.powerOf(address),
        active: v.active,
        jailed: v.jailed,
        slashedSatang: v.slashedSatang,
        lastSignedHeight: signed,
        online: head === 0 || signed >= head - ONLINE_WINDOW_BLOCKS,
      };
    });
  }

  grid(): GridRecord {
    return getRecord(this.state, 'grid', SINGLETON)!;
  }

  /** Wh of a link's capacity already taken by trades in one interval. */
  linkUsageWh(from: string, to: string, intervalStartMs: number): bigint {
    return getRecord(this.state, 'linkUse', `${from}>${to}|${intervalStartMs}`)?.usedWh ?? 0n;
  }

  proposal(proposalId: string): ProposalInfo | null {
    const p = getRecord(this.state, 'proposal', proposalId);
    return p === undefined ? null : { proposalId, ...p };
  }

  /** Open and passed-but-not-yet-effective proposals. */
  activeProposals(): ProposalInfo[] {
    const index = getRecord(this.state, 'govIndex', SINGLETON) ?? { open: [], scheduled: [] };
    return [...index.open, ...index.scheduled]
      .map((id) => this.proposal(id)!)
      .filter((p) => p !== null);
  }

  /** PoW stamp bits a transaction from `signer` needs to enter this node's mempool now (POW-2). */
  powBitsFor(signer: string): number {
    return isPowExempt(this.state, signer, this.params()) ? 0 : this.node.mempool.difficultyBits();
  }

  mempoolSize(): number {
    return this.node.mempool.size;
  }

  async block(heightOrHash: number | string): Promise<BlockLookup | null> {
    const store = this.node.storeRef;
    let height: number | null;
    if (typeof heightOrHash === 'number') height = heightOrHash;
    else height = isHex32(heightOrHash) ? await store.heightOf(heightOrHash) : null;
    if (height === null || height < 1) return null;
    const rec = await store.block(height);
    if (rec === null) return null;
    return { block: decodeBlock(this.node.chainId, rec.block), commit: decodeCommit(rec.commit) };
  }

  /** A committed transaction with its Merkle inclusion proof against the block's tx root (BLK-4). */
  async tx(txHash: string): Promise<TxLookup | null> {
    const loc = await this.node.storeRef.txLocation(txHash);
    if (loc === null) return null;
    const found = await this.block(loc.height);
    if (found === null) return null;
    const tx = found.block.txs[loc.index];
    if (tx === undefined) return null;
    return {
      tx,
      height: loc.height,
      index: loc.index,
      blockHash: found.block.hash,
      txRoot: found.block.header.txRoot,
      txCount: found.block.header.txCount,
      proof: txInclusionProof(found.block, loc.index),
    };
  }
}
