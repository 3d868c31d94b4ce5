// The engine's side of the validators' worker thread (validator-worker.ts): starts it, hands its
// port to the engine's follower node, keeps the validators' latest consensus status (posted every
// 250 ms) for the control room and the stall log, and offers the controls scenario tests use.
import { Worker } from 'node:worker_threads';
import type { NodeConsensusStatus, SubmitResult, Tx } from '@gridtokenx/chain';
import type { Logger } from '../log.ts';
import type { ControlOp, ValidatorWorkerData, WorkerFrame } from './validator-worker.ts';

const STATUS_EVERY_MS = 250;

/**
 * The worker's script. Under the test runner this module is TypeScript source, but a worker thread
 * runs only JavaScript, so it is the built file (`npm test` builds the engine first).
 */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../dist/chain/validator-worker.js', import.meta.url)
    : new URL('./validator-worker.js', import.meta.url);
}

/** The validators' names, and 'engine' for the engine's own node (the follower). */
export type LinkName = string;

export class ValidatorThread {
  private latest: readonly NodeConsensusStatus[] = [];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private exited = false;
  private stopping = false;

  private constructor(
    readonly worker: Worker,
    readonly names: readonly string[],
  ) {}

  static async start(options: {
    data: Omit<ValidatorWorkerData, 'statusEveryMs'>;
    logger: Logger;
    onFatal: (error: Error) => void;
  }): Promise<ValidatorThread> {
    const { logger } = options;
    const worker = new Worker(workerUrl(), {
      workerData: { ...options.data, statusEveryMs: STATUS_EVERY_MS } satisfies ValidatorWorkerData,
      // None of this thread's flags: the test runner's export conditions point at TypeScript
      // sources, which a worker cannot load, and V8 heap flags are refused in a worker.
      execArgv: [],
    });
    const thread = new ValidatorThread(worker, options.data.names);
    const ready = new Promise<number>((resolve, reject) => {
      worker.on('message', (value: unknown) => {
        const frame = value as WorkerFrame;
        switch (frame.kind) {
          case 'ready':
            resolve(frame.height);
            return;
          case 'start-failed':
            reject(new Error(`the validators' thread did not start: ${frame.message}`));
            return;
          case 'status':
            thread.latest = frame.validators;
            return;
          case 'control-reply': {
            const waiting = thread.pending.get(frame.id);
            thread.pending.delete(frame.id);
            if (frame.ok) waiting?.resolve(frame.value);
            else waiting?.reject(new Error(frame.message ?? 'control failed'));
            return;
          }
          case 'log':
            logger[frame.level](frame.fields, frame.msg);
            return;
        }
      });
      worker.on('error', (err) => {
        logger.fatal({ err }, 'the validators thread failed');
        reject(err);
        options.onFatal(err);
      });
      worker.on('exit', (code) => {
        thread.exited = true;
        for (const w of thread.pending.values())
          w.reject(new Error('the validators thread exited'));
        thread.pending.clear();
        if (!thread.stopping) {
          const err = new Error(`the validators thread exited (code ${code})`);
          reject(err);
          options.onFatal(err);
        }
      });
    });
    await ready;
    return thread;
  }

  /** Each validator's consensus status, at most 250 ms old. */
  status(): readonly NodeConsensusStatus[] {
    return this.latest;
  }

  private control(op: ControlOp): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the validators thread has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'control', id, control: op });
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
  async isolate(name: LinkName): Promise<void> {
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

  async stop(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    try {
      await this.control({ op: 'shutdown' });
    } finally {
      await this.worker.terminate();
    }
  }
}
