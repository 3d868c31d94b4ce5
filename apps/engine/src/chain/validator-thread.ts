// The engine's side of the validators' worker thread (validator-worker.ts): starts it, gives the
// engine's follower node a port that stays the same across restarts, keeps the validators' latest
// consensus status (posted every 250 ms) for the control room and the stall log, and offers the
// controls scenario tests use. A thread that exits unexpectedly (an uncaught error) is started
// again from the validators' stores after 1 s, 2 s, 4 s … at most 8 s, like a validator stopped by
// a failed store write (MEM-4); meanwhile the engine trades and settlements wait.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { NodeConsensusStatus, PortLike, SubmitResult, Tx } from '@gridtokenx/chain';
import type { Logger } from '../log.ts';
import type {
  ControlOp,
  ValidatorOsThread,
  ValidatorWorkerData,
  WorkerFrame,
} from './validator-worker.ts';

const STATUS_EVERY_MS = 250;
const RESPAWN_FIRST_MS = 1_000;
const RESPAWN_MAX_MS = 8_000;

/**
 * The worker's script. Under the test runner this module is TypeScript source, but a worker thread
 * runs only JavaScript, so it is the built file (`npm test` builds the engine first).
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/chain/validator-worker.js', import.meta.url)
    : new URL('./validator-worker.js', import.meta.url);
}

export interface ValidatorThreadOptions {
  data: Omit<ValidatorWorkerData, 'statusEveryMs'>;
  logger: Logger;
  /** Told when the thread fails or exits unexpectedly (it is then started again). */
  onFatal: (error: Error) => void;
  /** Told when a restarted thread runs again. */
  onRestart?: (attempt: number) => void;
}

export class ValidatorThread {
  private latest: readonly NodeConsensusStatus[] = [];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private worker: Worker | null = null;
  private stopping = false;
  private failures = 0;
  private respawnTimer: NodeJS.Timeout | null = null;
  /** Chain frames of whichever worker runs now, for the follower's transport. */
  private readonly events = new EventEmitter();
  /** Starts of the thread after the first (unexpected exits). */
  restarts = 0;
  /** The running thread's OS thread id and nice value, as it reported them when ready. */
  osThread: ValidatorOsThread | null = null;

  /** The port the engine's node talks to the validators through (the same across restarts). */
  readonly port: PortLike = {
    postMessage: (value) => this.worker?.postMessage(value),
    on: (event, listener) => this.events.on(event, listener),
    off: (event, listener) => this.events.off(event, listener),
  };

  private constructor(private readonly options: ValidatorThreadOptions) {}

  get names(): readonly string[] {
    return this.options.data.names;
  }

  static async start(options: ValidatorThreadOptions): Promise<ValidatorThread> {
    const thread = new ValidatorThread(options);
    await thread.spawn();
    return thread;
  }

  /** Starts a worker; resolves once its validators run, rejects if they cannot start. */
  private spawn(): Promise<void> {
    const { logger } = this.options;
    const worker = new Worker(workerUrl(), {
      workerData: {
        ...this.options.data,
        statusEveryMs: STATUS_EVERY_MS,
      } satisfies ValidatorWorkerData,
      // None of this thread's flags: the test runner's export conditions point at TypeScript
      // sources, which a worker cannot load, and V8 heap flags are refused in a worker.
      execArgv: [],
    });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (value: unknown) => {
        const frame = value as WorkerFrame;
        switch (frame.kind) {
          case 'ready':
            ready = true;
            this.osThread = frame.osThread;
            resolve();
            return;
          case 'start-failed':
            reject(new Error(`the validators' thread did not start: ${frame.message}`));
            void worker.terminate();
            return;
          case 'status':
            this.latest = frame.validators;
            return;
          case 'control-reply': {
            const waiting = this.pending.get(frame.id);
            this.pending.delete(frame.id);
            if (frame.ok) waiting?.resolve(frame.value);
            else waiting?.reject(new Error(frame.message ?? 'control failed'));
            return;
          }
          case 'log':
            logger[frame.level](frame.fields, frame.msg);
            return;
          default:
            this.events.emit('message', value); // the chain's frames
        }
      });
      worker.on('error', (err) => {
        logger.fatal({ err }, 'the validators thread failed');
        reject(err);
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.latest = [];
        this.osThread = null;
        for (const w of this.pending.values()) w.reject(new Error('the validators thread exited'));
        this.pending.clear();
        if (this.stopping) return;
        const err = new Error(`the validators thread exited (code ${code})`);
        reject(err);
        this.options.onFatal(err);
        // A thread that never ran is the caller's to report (start); one that ran is restarted.
        if (ready || this.restarts > 0) this.scheduleRespawn();
      });
    });
  }

  private scheduleRespawn(): void {
    this.failures += 1;
    const delay = Math.min(RESPAWN_MAX_MS, RESPAWN_FIRST_MS * 2 ** (this.failures - 1));
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = null;
      if (this.stopping) return;
      this.restarts += 1;
      this.spawn().then(
        () => {
          this.failures = 0;
          this.options.onRestart?.(this.restarts);
        },
        // Its exit (which follows) schedules the next attempt.
        () => undefined,
      );
    }, delay);
  }

  /** Each validator's consensus status, at most 250 ms old (empty while the thread is down). */
  status(): readonly NodeConsensusStatus[] {
    return this.latest;
  }

  private control(op: ControlOp): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the validators thread is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'control', id, control: op });
    });
  }

  /** Each validator's consensus status now. */
  async freshStatus(): Promise<readonly NodeConsensusStatus[]> {
    this.latest = (await this.control({ op: 'status' })) as NodeConsensusStatus[];
    return this.latest;
  }

  /** One validator's consensus status now. */
  async statusOf(name: string): Promise<NodeConsensusStatus> {
    const status = (await this.freshStatus())[this.names.indexOf(name)];
    if (!status) throw new Error(`no validator named ${name}`);
    return status;
  }

  /** Stops a validator (as a crash would, keeping its store). */
  async stopValidator(name: string): Promise<void> {
    await this.control({ op: 'stop', name });
  }

  async startValidator(name: string): Promise<void> {
    await this.control({ op: 'start', name });
  }

  /** Cuts every link of a validator, or of the engine's node (`'engine'`), until `heal`. */
  async isolate(name: string): Promise<void> {
    await this.control({ op: 'isolate', name });
  }

  async heal(): Promise<void> {
    await this.control({ op: 'heal' });
  }

  /** Submits straight to one validator (not through the engine's node). */
  async submitTo(name: string, tx: Tx): Promise<SubmitResult> {
    return (await this.control({ op: 'submit', name, tx: tx.bytes })) as SubmitResult;
  }

  /** Whether a validator has committed the transaction. */
  async hasTx(name: string, hash: string): Promise<boolean> {
    return (await this.control({ op: 'hasTx', name, hash })) as boolean;
  }

  /** Scenario tests: the thread exits at once, as on an uncaught error (it is then restarted). */
  crash(): void {
    this.worker?.postMessage({ kind: 'control', id: 0, control: { op: 'crash' } });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.control({ op: 'shutdown' });
    } finally {
      await worker.terminate();
    }
  }
}
