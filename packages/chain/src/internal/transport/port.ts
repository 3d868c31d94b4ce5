// Validators in another thread of the same process (the engine runs its four validators in a
// worker thread so their consensus work leaves the thread that answers traders). The thread's
// MemoryNetwork gets one more member, a bridge, that carries messages across a MessagePort as wire
// bytes (the WebSocket codec) to a `PortTransport` on the other side, where a node without a
// validator key follows. Nothing is shared between the threads but those bytes.
import type { MemoryNetwork } from './memory.ts';
import type { MessageHandler, PeerMessage, Transport } from './transport.ts';
import { decodeMessage, encodeMessage } from './wire.ts';

/** The part of a `MessagePort` (node:worker_threads) the transport needs. */
export interface PortLike {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

/** A frame on the port: a peer message, or the bridge's list of validators it can reach now. */
type Frame =
  | {
      readonly kind: 'chain-msg';
      readonly from: string;
      readonly to: string | null;
      readonly bytes: Uint8Array;
    }
  | { readonly kind: 'chain-peers'; readonly peers: readonly string[] };

function isFrame(value: unknown): value is Frame {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'chain-msg' || kind === 'chain-peers';
}

export interface PortTransportOptions {
  readonly chainId: string;
  /** This node's id on the other side's network (a follower's is not an address). */
  readonly self: string;
  readonly port: PortLike;
  /** Told about malformed frames (dropped). */
  readonly onWarning?: (message: string) => void;
}

/** The node's side: a Transport whose peers are the members of a network across a port. */
export class PortTransport implements Transport {
  private handler: MessageHandler | null = null;
  private reachable: readonly string[] = [];
  private readonly listener = (value: unknown): void => this.receive(value);

  constructor(private readonly options: PortTransportOptions) {}

  start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    this.options.port.on('message', this.listener);
    return Promise.resolve();
  }

  private receive(value: unknown): void {
    if (!isFrame(value)) return; // the port may carry other traffic (a control channel)
    if (value.kind === 'chain-peers') {
      this.reachable = value.peers;
      return;
    }
    if (value.to !== this.options.self) return;
    let message: PeerMessage;
    try {
      message = decodeMessage(this.options.chainId, value.bytes);
    } catch (err) {
      this.options.onWarning?.(`dropped a malformed message from ${value.from}: ${String(err)}`);
      return;
    }
    this.handler?.(value.from, message);
  }

  send(peer: string, message: PeerMessage): void {
    if (this.handler === null) return;
    this.post(peer, message);
  }

  broadcast(message: PeerMessage): void {
    if (this.handler === null) return;
    this.post(null, message);
  }

  private post(to: string | null, message: PeerMessage): void {
    const frame: Frame = {
      kind: 'chain-msg',
      from: this.options.self,
      to,
      bytes: encodeMessage(message),
    };
    this.options.port.postMessage(frame);
  }

  peers(): readonly string[] {
    return this.handler === null ? [] : this.reachable;
  }

  stop(): Promise<void> {
    this.options.port.off('message', this.listener);
    this.handler = null;
    this.reachable = [];
    return Promise.resolve();
  }
}

export interface PortBridgeOptions {
  readonly chainId: string;
  /** The id the node across the port has on this network (`PortTransportOptions.self`). */
  readonly id: string;
  readonly port: PortLike;
  /** How often the reachable members are checked, and told across the port when they changed
   * (default 100 ms); they are told every second in any case. */
  readonly peersEveryMs?: number;
  readonly onWarning?: (message: string) => void;
}

/**
 * Makes the node across `port` a member of `network`: what members send it crosses the port, what
 * it sends is delivered to them as from `id`. Cutting `id`'s links on the network (isolate,
 * partition) cuts the node off like any member.
 */
export function bridgeToPort(
  network: MemoryNetwork,
  options: PortBridgeOptions,
): { close(): void } {
  const { port, id } = options;
  const member = network.transport(id);
  let told = '';
  let toldAt = 0;
  const tellPeers = (): void => {
    const peers = [...member.peers()].sort();
    const key = peers.join(',');
    // On a change, and every second anyway: the other side may have started listening late.
    if (key === told && Date.now() - toldAt < 1_000) return;
    told = key;
    toldAt = Date.now();
    port.postMessage({ kind: 'chain-peers', peers } satisfies Frame);
  };
  void member.start((from, message) => {
    const frame: Frame = { kind: 'chain-msg', from, to: id, bytes: encodeMessage(message) };
    port.postMessage(frame);
  });
  const listener = (value: unknown): void => {
    if (!isFrame(value) || value.kind !== 'chain-msg' || value.from !== id) return;
    let message: PeerMessage;
    try {
      message = decodeMessage(options.chainId, value.bytes);
    } catch (err) {
      options.onWarning?.(`dropped a malformed message from ${id}: ${String(err)}`);
      return;
    }
    if (value.to === null) member.broadcast(message);
    else member.send(value.to, message);
  };
  port.on('message', listener);
  tellPeers();
  const timer = setInterval(tellPeers, options.peersEveryMs ?? 100);
  timer.unref();
  return {
    close(): void {
      clearInterval(timer);
      port.off('message', listener);
      void member.stop();
    },
  };
}
