// How validators talk. The node sees peers only through this interface: an in-memory hub for
// validators sharing a process, or WebSocket links between processes. Messages are immutable
// objects; the WebSocket transport encodes them with the wire codec.
import type { Block } from '../block.ts';
import type { CommitCertificate, Vote } from '../consensus/types.ts';
import type { Tx } from '../tx/tx.ts';

export interface Proposal {
  readonly height: number;
  readonly round: number;
  /** The round in which the proposer saw a quorum of prevotes for this block, or −1 (CONS-6). */
  readonly validRound: number;
  readonly block: Block;
  readonly proposer: string;
  readonly signature: Uint8Array;
}

export interface SyncedBlock {
  readonly block: Block;
  readonly commit: CommitCertificate;
}

export type PeerMessage =
  | { readonly type: 'txs'; readonly txs: readonly Tx[] }
  | { readonly type: 'proposal'; readonly proposal: Proposal }
  | { readonly type: 'vote'; readonly vote: Vote }
  | { readonly type: 'status'; readonly height: number; readonly round: number }
  | { readonly type: 'syncRequest'; readonly fromHeight: number; readonly maxBlocks: number }
  | { readonly type: 'syncResponse'; readonly blocks: readonly SyncedBlock[] }
  // Between a node and a submitting client (WebSocket only):
  | { readonly type: 'subscribe' }
  | {
      readonly type: 'txResults';
      readonly results: readonly { readonly hash: string; readonly code: string | null }[];
    }
  | {
      readonly type: 'committed';
      readonly height: number;
      readonly hash: string;
      readonly round: number;
      readonly timeMs: number;
      readonly txHashes: readonly string[];
    };

export type MessageHandler = (from: string, message: PeerMessage) => void;

export interface Transport {
  /** Starts delivering messages to `handler`. */
  start(handler: MessageHandler): Promise<void>;
  send(peer: string, message: PeerMessage): void;
  broadcast(message: PeerMessage): void;
  /** Peers currently reachable. */
  peers(): readonly string[];
  stop(): Promise<void>;
}
