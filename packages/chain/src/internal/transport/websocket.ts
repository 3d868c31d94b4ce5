// One validator per process: a WebSocket server for inbound links and clients, and outbound links
// to peers with a lower address dialling a higher one (one socket per pair), redialled after a
// drop. A hello names the chain and the sender; every consensus message is signed anyway, so the
// hello only routes, it does not authenticate (documented in the spec, NET-2).
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { ZERO32_HEX } from '../bytes.ts';
import type { MessageHandler, PeerMessage, Transport } from './transport.ts';
import { decodeHello, decodeMessage, encodeHello, encodeMessage } from './wire.ts';

export interface PeerAddress {
  /** The peer's validator address (hex public key). */
  readonly address: string;
  /** ws://host:port */
  readonly url: string;
}

export interface WebSocketTransportOptions {
  readonly chainId: string;
  /** This node's validator address. */
  readonly self: string;
  /** Where to accept peers and clients; omit for an outbound-only node (it dials every peer). */
  readonly listen?: { readonly host: string; readonly port: number };
  readonly peers: readonly PeerAddress[];
  /** Delay before redialling a lost peer (default 500 ms). */
  readonly reconnectMs?: number;
  /** Called with protocol problems (bad frames, wrong chain); default ignores them. */
  readonly onWarning?: (message: string) => void;
}

/**
 * NET-1: links between validators (and submitting clients) use an all-zero frame mask, which
 * ws then skips. Masking protects browsers behind caching proxies; these links carry only signed
 * consensus data between known processes, and XOR-ing every megabyte-sized proposal costs CPU.
 */
const LINK_OPTIONS = {
  maxPayload: 1 << 27,
  perMessageDeflate: false,
  generateMask: (mask: Uint8Array): void => {
    mask.fill(0);
  },
};

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class WebSocketTransport implements Transport {
  private server: WebSocketServer | null = null;
  private readonly links = new Map<string, WebSocket>();
  private readonly clients = new Map<string, WebSocket>();
  private handler: MessageHandler | null = null;
  private stopped = false;
  private clientSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: WebSocketTransportOptions) {}

  async start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    this.stopped = false; // a node restarted after a fatal stop starts its transport again
    const listen = this.options.listen;
    if (listen !== undefined) {
      const server = new WebSocketServer({
        host: listen.host,
        port: listen.port,
        maxPayload: 1 << 27,
      });
      this.server = server;
      server.on('connection', (ws) => this.accept(ws));
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
    }
    // NET-1: of two listening nodes the lower address dials. A node that does not listen (a
    // follower) can be reached by no one, so it dials every peer itself.
    const dialsAll = listen === undefined;
    for (const peer of this.options.peers) {
      if (peer.address !== this.options.self && (dialsAll || this.options.self < peer.address))
        this.dial(peer);
    }
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  private accept(ws: WebSocket): void {
    ws.binaryType = 'nodebuffer';
    let id: string | null = null;
    ws.on('message', (data) => {
      const bytes = toBytes(data);
      if (id === null) {
        const hello = decodeHello(bytes);
        if (hello === null || hello.chainId !== this.options.chainId) {
          this.warn('refused a connection without a valid hello for this chain');
          ws.close();
          return;
        }
        if (hello.role === 1) {
          id = `client:${++this.clientSeq}`;
          this.clients.set(id, ws);
        } else {
          id = hello.address;
          this.links.get(id)?.terminate();
          this.links.set(id, ws);
          ws.send(
            encodeHello({ chainId: this.options.chainId, address: this.options.self, role: 0 }),
          );
        }
        return;
      }
      this.receive(id, bytes);
    });
    ws.on('close', () => {
      if (id === null) return;
      if (this.clients.get(id) === ws) this.clients.delete(id);
      if (this.links.get(id) === ws) this.links.delete(id);
    });
    ws.on('error', () => undefined);
  }

  private dial(peer: PeerAddress): void {
    if (this.stopped) return;
    const ws = new WebSocket(peer.url, LINK_OPTIONS);
    ws.binaryType = 'nodebuffer';
    let established = false;
    ws.on('open', () => {
      ws.send(encodeHello({ chainId: this.options.chainId, address: this.options.self, role: 0 }));
    });
    ws.on('message', (data) => {
      const bytes = toBytes(data);
      if (!established) {
        const hello = decodeHello(bytes);
        if (
          hello === null ||
          hello.address !== peer.address ||
          hello.chainId !== this.options.chainId
        ) {
          this.warn(`peer at ${peer.url} is not ${peer.address} on ${this.options.chainId}`);
          ws.close();
          return;
        }
        established = true;
        this.links.get(peer.address)?.terminate();
        this.links.set(peer.address, ws);
        return;
      }
      this.receive(peer.address, bytes);
    });
    ws.on('close', () => {
      if (this.links.get(peer.address) === ws) this.links.delete(peer.address);
      if (!this.stopped) {
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.dial(peer);
        }, this.options.reconnectMs ?? 500);
        this.timers.add(t);
      }
    });
    ws.on('error', () => undefined);
  }

  private receive(from: string, bytes: Uint8Array): void {
    let message: PeerMessage;
    try {
      message = decodeMessage(this.options.chainId, bytes);
    } catch (err) {
      this.warn(`dropped a malformed message from ${from}: ${String(err)}`);
      return;
    }
    this.handler?.(from, message);
  }

  send(peer: string, message: PeerMessage): void {
    const ws = this.links.get(peer) ?? this.clients.get(peer);
    if (ws !== undefined && ws.readyState === WebSocket.OPEN) ws.send(encodeMessage(message));
  }

  broadcast(message: PeerMessage): void {
    let bytes: Uint8Array | null = null;
    for (const ws of this.links.values()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      bytes ??= encodeMessage(message);
      ws.send(bytes);
    }
  }

  peers(): readonly string[] {
    return [...this.links.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const ws of [...this.links.values(), ...this.clients.values()]) ws.terminate();
    this.links.clear();
    this.clients.clear();
    const server = this.server;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface CommittedNotice {
  readonly height: number;
  readonly hash: string;
  readonly round: number;
  readonly timeMs: number;
  readonly txHashes: readonly string[];
}

/** A submitting client of one node over WebSocket (benchmarks, scripts, a remote engine). */
export class ChainClient {
  private constructor(private readonly ws: WebSocket) {}

  static connect(
    url: string,
    chainId: string,
    handlers: {
      readonly onCommitted?: (notice: CommittedNotice) => void;
      readonly onResults?: (results: readonly { hash: string; code: string | null }[]) => void;
    } = {},
  ): Promise<ChainClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, LINK_OPTIONS);
      ws.binaryType = 'nodebuffer';
      ws.once('error', reject);
      ws.on('open', () => {
        ws.send(encodeHello({ chainId, address: ZERO32_HEX, role: 1 }));
        ws.send(encodeMessage({ type: 'subscribe' }));
        resolve(new ChainClient(ws));
      });
      ws.on('message', (data) => {
        let m: PeerMessage;
        try {
          m = decodeMessage(chainId, toBytes(data));
        } catch {
          return;
        }
        if (m.type === 'committed') handlers.onCommitted?.(m);
        else if (m.type === 'txResults') handlers.onResults?.(m.results);
      });
    });
  }

  /** Sends signed transactions (canonical bytes) for admission and gossip. */
  submitBytes(txs: readonly Uint8Array[]): void {
    const w = encodeTxsFrame(txs);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(w);
  }

  close(): void {
    this.ws.close();
  }
}

function encodeTxsFrame(txs: readonly Uint8Array[]): Uint8Array {
  let len = 1 + 4;
  for (const t of txs) len += 4 + t.length;
  const out = new Uint8Array(len);
  const view = new DataView(out.buffer);
  out[0] = 0;
  view.setUint32(1, txs.length);
  let off = 5;
  for (const t of txs) {
    view.setUint32(off, t.length);
    out.set(t, off + 4);
    off += 4 + t.length;
  }
  return out;
}
