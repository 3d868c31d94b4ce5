// Public API of @gridtokenx/chain: an embedded BFT chain for energy settlement. The engine hosts
// validators (in-process by default, or one per process over WebSocket), gives each a ChainStore,
// submits signed transactions, follows commits and queries state. Internals stay in src/internal.

// Errors
export { CHAIN_ERROR_CODES, ChainError } from './errors.ts';
export type { ChainErrorCode, Rejection } from './errors.ts';

// Keys and signatures
export { generateKeyPair, keyPairFromSeed, createPortableSigner } from './internal/crypto/keys.ts';
export type { KeyPair, RandomBytes, Signer } from './internal/crypto/keys.ts';
export {
  createFastSigner as createSigner,
  verifyFast as verifySignature,
} from './internal/crypto/node-ed25519.ts';
export { OwnSignatures, OWN_SIGNATURES_KEPT } from './internal/crypto/own-signatures.ts';
export { verifyPortable as verifySignaturePortable } from './internal/crypto/signature-rule.ts';
export type { VerifyFn } from './internal/crypto/signature-rule.ts';

// Transactions
export { signTx, decodeTx, withPowNonce } from './internal/tx/tx.ts';
export type { SignedTx, Tx, UnsignedTx, UnsignedAnyTx } from './internal/tx/tx.ts';
export { EMERGENCY_KINDS, MAX_INPUTS, MAX_OUTPUTS, TX_KINDS } from './internal/tx/kinds.ts';
export type {
  GovernanceAction,
  TransferOutput,
  TxBodies,
  TxBody,
  TxKind,
} from './internal/tx/kinds.ts';
export {
  FUNGIBLE_ASSETS,
  ID_PATTERN,
  RENEWABLE,
  ROLES,
  TECHNOLOGIES,
  ZONE_PATTERN,
  outpointKey,
} from './internal/tx/fields.ts';
export type { FungibleAsset, Outpoint, Role, Technology } from './internal/tx/fields.ts';
export { findPowNonce, powDifficultyBits, powStampBits, stampTx } from './internal/tx/pow.ts';

// Blocks and proofs
export { blockHashOf, decodeBlock, encodeBlock, txInclusionProof } from './internal/block.ts';
export type { Block, BlockHeader } from './internal/block.ts';
export type { InclusionProof } from './internal/merkle.ts';
export { verifyCommitCertificate, verifyTxInclusion } from './internal/proofs.ts';
export type { CommitCertificate, Evidence, Vote, VoteType } from './internal/consensus/types.ts';

// Genesis and parameters
export { buildGenesis, genesisOutpoint } from './internal/state/genesis.ts';
export type {
  Genesis,
  GenesisAccount,
  GenesisAuthority,
  GenesisConfig,
  GenesisLink,
  GenesisZone,
} from './internal/state/genesis.ts';
export { genesisFromJson, genesisToJson } from './internal/state/genesis-json.ts';
export {
  THAI_CORRIDORS,
  THAI_ZONES,
  WH_PER_MW_INTERVAL,
  thailandGenesis,
} from './internal/state/thailand.ts';
export type { AuthorityName, ThailandGenesisOptions } from './internal/state/thailand.ts';
export { DEFAULT_PARAMS, PARAM_BOUNDS } from './internal/state/params.ts';
export type { ChainParams, ParamName } from './internal/state/params.ts';
export type {
  AccountRecord,
  EscrowRecord,
  GridRecord,
  LinkRecord,
  ProposalRecord,
  ReadingRecord,
  RecRecord,
  ZoneRecord,
} from './internal/state/records.ts';

// Nodes, networks, events and queries
export { ChainNode } from './internal/node/node.ts';
export type {
  ChainNodeOptions,
  HeadInfo,
  NodeConsensusStatus,
  SubmitResult,
} from './internal/node/node.ts';
export type { ConsensusStatus, Step as ConsensusStep } from './internal/consensus/tendermint.ts';
export { LocalNetwork } from './internal/node/local-network.ts';
export { NodeRestarts, RESTART_FIRST_MS } from './internal/node/restart.ts';
export type { LocalNetworkOptions } from './internal/node/local-network.ts';
export type {
  ChainEvent,
  ChainListener,
  CommitEvent,
  CommittedTx,
  DroppedEvent,
  FatalEvent,
} from './internal/node/events.ts';
export { ChainQueries, ONLINE_WINDOW_BLOCKS } from './internal/node/queries.ts';
export type {
  Balances,
  BlockLookup,
  Coin,
  EscrowInfo,
  ProposalInfo,
  RecInfo,
  TxLookup,
  ValidatorInfo,
} from './internal/node/queries.ts';
export { replayFromStore } from './internal/node/replay.ts';
export type { ReplayOptions, ReplayResult } from './internal/node/replay.ts';
export { DEFAULT_TIMEOUTS, PROCESS_TIMEOUTS } from './internal/consensus/tendermint.ts';
export type { ConsensusTimeouts } from './internal/consensus/tendermint.ts';

// Transports, stores, clocks
export { MemoryNetwork } from './internal/transport/memory.ts';
export type { MemoryNetworkOptions } from './internal/transport/memory.ts';
export { ChainClient, WebSocketTransport } from './internal/transport/websocket.ts';
export { bridgeToPort, PortTransport } from './internal/transport/port.ts';
export type {
  PortBridgeOptions,
  PortLike,
  PortTransportOptions,
} from './internal/transport/port.ts';
export type {
  CommittedNotice,
  PeerAddress,
  WebSocketTransportOptions,
} from './internal/transport/websocket.ts';
export type {
  MessageHandler,
  PeerMessage,
  Proposal,
  SyncedBlock,
  Transport,
} from './internal/transport/transport.ts';
export { MemoryStore } from './internal/store/memory-store.ts';
export { FileStore } from './internal/store/file-store.ts';
export type { ChainStore, StoredBlock, StoredSnapshot } from './internal/store/store.ts';
export { systemClock } from './internal/clock/clock.ts';
export type { Clock } from './internal/clock/clock.ts';
export { SimClock } from './internal/clock/sim-clock.ts';
