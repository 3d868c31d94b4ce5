// One Socket.IO connection per tab, shared by every live view. It joins the rooms views ask
// for, remembers each room's last sequence number, and tells a room's listeners to resync from
// a snapshot whenever continuity is lost: a gap in `seq`, a new engine epoch, or a reconnect.
// After sign-in or sign-out the connection is re-established so the user room follows the cookie.
import { io, type Socket } from 'socket.io-client';

export interface StreamMessage<T = unknown> {
  room: string;
  seq: number;
  epoch: string;
  type: string;
  data: T;
}

export interface RoomListener {
  /** Every message of the room, in arrival order (after a gap too: see `onResync`). */
  onMessage?(message: StreamMessage): void;
  /** Continuity was lost or (re)established: refetch the snapshot. */
  onResync?(): void;
}

export type LinkState = 'connecting' | 'live' | 'down';

export interface Heartbeat {
  seq: number;
  time: string;
  uptimeSeconds: number;
  clients: number;
}

interface RoomState {
  listeners: Set<RoomListener>;
  lastSeq: number | null;
  joined: boolean;
}

interface SubscribeAck {
  epoch: string;
  joined: { room: string; seq: number }[];
  refused: string[];
}

export class LiveClient {
  private socket: Socket | null = null;
  private readonly rooms = new Map<string, RoomState>();
  private epoch: string | null = null;
  private helloUser: string | null = null;
  private state: LinkState = 'connecting';
  private readonly stateListeners = new Set<() => void>();
  private beat: Heartbeat | null = null;
  private readonly beatListeners = new Set<(beat: Heartbeat) => void>();
  /** Times the stream was (re)joined: views show it and tests read it. */
  resyncs = 0;

  start(): void {
    if (this.socket) return;
    const socket = io({ path: '/socket.io', transports: ['websocket', 'polling'] });
    this.socket = socket;
    socket.on('connect', () => this.setState('live'));
    socket.on('disconnect', () => {
      this.setState('down');
      for (const r of this.rooms.values()) {
        r.joined = false;
        r.lastSeq = null;
      }
    });
    socket.on('connect_error', () => this.setState('down'));
    socket.on('hello', (hello: { epoch: string; user: string | null }) => {
      if (this.epoch !== null && this.epoch !== hello.epoch) {
        for (const r of this.rooms.values()) r.lastSeq = null;
      }
      this.epoch = hello.epoch;
      this.helloUser = hello.user;
      this.join([...this.rooms.keys()]);
    });
    socket.on('msg', (message: StreamMessage) => this.onMessage(message));
    socket.on('heartbeat', (beat: Heartbeat) => {
      this.beat = beat;
      for (const l of this.beatListeners) l(beat);
    });
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
  }

  /** Drops and re-opens the connection, so the handshake carries the current session cookie. */
  reconnect(): void {
    const socket = this.socket;
    if (!socket) return;
    socket.disconnect();
    this.setState('connecting');
    socket.connect();
  }

  subscribe(room: string, listener: RoomListener): () => void {
    let state = this.rooms.get(room);
    if (!state) {
      state = { listeners: new Set(), lastSeq: null, joined: false };
      this.rooms.set(room, state);
    }
    state.listeners.add(listener);
    if (state.joined) listener.onResync?.();
    else if (this.socket?.connected && this.epoch !== null) this.join([room]);
    return () => {
      const current = this.rooms.get(room);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        this.rooms.delete(room);
        if (this.socket?.connected) this.socket.emit('unsubscribe', [room]);
      }
    };
  }

  get linkState(): LinkState {
    return this.state;
  }

  get lastHeartbeat(): Heartbeat | null {
    return this.beat;
  }

  /** The account the engine saw in the last handshake (null when signed out). */
  get user(): string | null {
    return this.helloUser;
  }

  onLinkState(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onHeartbeat(listener: (beat: Heartbeat) => void): () => void {
    this.beatListeners.add(listener);
    return () => this.beatListeners.delete(listener);
  }

  private setState(next: LinkState): void {
    if (this.state === next) return;
    this.state = next;
    for (const l of this.stateListeners) l();
  }

  private join(rooms: string[]): void {
    const socket = this.socket;
    if (!socket || rooms.length === 0) return;
    socket.emit('subscribe', rooms, (ack: SubscribeAck) => {
      this.resyncs += 1;
      for (const { room, seq } of ack.joined) {
        const state = this.rooms.get(room);
        if (!state) continue;
        state.joined = true;
        state.lastSeq = seq;
        for (const l of state.listeners) l.onResync?.();
      }
    });
  }

  private onMessage(message: StreamMessage): void {
    const state = this.rooms.get(message.room);
    if (!state) return;
    const gap =
      message.epoch !== this.epoch || (state.lastSeq !== null && message.seq !== state.lastSeq + 1);
    if (message.epoch !== this.epoch) this.epoch = message.epoch;
    state.lastSeq = message.seq;
    for (const l of state.listeners) l.onMessage?.(message);
    if (gap) for (const l of state.listeners) l.onResync?.();
  }
}
