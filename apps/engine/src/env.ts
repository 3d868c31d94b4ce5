// The only module that reads process.env: every variable the engine understands, validated at
// start-up with a clear message for each one that is missing or malformed.
import path from 'node:path';
import { z } from 'zod';
import { defaultDataDir } from './paths.ts';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
  .describe('PostgreSQL connection URL');

const AUTHORITY_NAMES = ['EGAT', 'MEA', 'PEA', 'ERC'] as const;

/** `EGAT=ws://host:port,MEA=ws://…`: where the devnet's validators listen, by authority. */
const chainPeers = z
  .string()
  .transform((s, ctx) => {
    const peers: { name: (typeof AUTHORITY_NAMES)[number]; url: string }[] = [];
    for (const part of s.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      const m = /^([A-Z]+)=(wss?:\/\/[^\s,]+)$/.exec(part);
      const name = AUTHORITY_NAMES.find((n) => n === m?.[1]);
      if (!m || !name) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part}" is not NAME=ws://host:port with NAME one of ${AUTHORITY_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      if (peers.some((p) => p.name === name)) {
        ctx.addIssue({ code: 'custom', message: `${name} is listed twice` });
        return z.NEVER;
      }
      peers.push({ name, url: m[2]! });
    }
    if (peers.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'names no validator' });
      return z.NEVER;
    }
    return peers;
  })
  .describe('validator WebSocket URLs by authority');

const EnvSchema = z.object({
  ENGINE_PORT: port.default(4000),
  ENGINE_HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  /** Connections the engine keeps to PostgreSQL (the embedded database always uses one). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().min(1).default(defaultDataDir),
  /** Port of the embedded database's Postgres socket; 0 picks a free one. */
  EMBEDDED_DB_PORT: port.default(0),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /**
   * `leader` (default) runs the books, chain and settlement. `gateway` serves Socket.IO clients
   * and forwards API calls to ENGINE_LEADER_URL; it needs REDIS_URL for the streams.
   */
  ENGINE_ROLE: z.enum(['leader', 'gateway']).default('leader'),
  /** Key prefix of the Socket.IO channels in Redis (separates exchanges sharing one Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,40}$/)
    .default('gtx'),
  ENGINE_LEADER_URL: z.url().optional(),
  SEED: flag.default(true),
  /** `system` (real time) or `sim`: simulated time running CLOCK_SPEED times faster. */
  CLOCK: z.enum(['system', 'sim']).default('system'),
  CLOCK_SPEED: z.coerce.number().positive().max(10_000).default(60),
  /** Where simulated time starts (ISO instant); default: now, or where the last run stopped. */
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * `local` (default): the four authority validators run inside the engine. `devnet`: the engine
   * follows a WebSocket devnet of validator processes (`npm run chain:devnet`) as a non-voting
   * node, keeps its own copy of the blocks and submits its transactions to the validators.
   */
  CHAIN_MODE: z.enum(['local', 'devnet']).default('local'),
  /**
   * The devnet's folder (as `npm run chain:devnet` writes it): genesis.json, the authorities',
   * clearing house's and bank's keys, and each validator's config with its listen port.
   */
  CHAIN_DEVNET_DIR: z.string().min(1).optional(),
  /** Where the devnet's validators listen, replacing the folder's configs (other hosts). */
  CHAIN_PEERS: chainPeers.optional(),
  /**
   * Local mode: the in-process validators' minimum time between blocks while transactions wait
   * (ms; default 150, 0 = propose as soon as one waits). Fewer, larger blocks cost less per trade.
   */
  CHAIN_BLOCK_INTERVAL_MS: z.coerce.number().int().min(0).max(10_000).optional(),
  /**
   * Local mode on PostgreSQL: `worker` (default) runs the four validators in a worker thread with
   * their own connection pool, so consensus work leaves the thread that answers traders; `main`
   * runs them on that thread (as always on the embedded database, which takes one connection).
   */
  CHAIN_VALIDATOR_THREAD: z.enum(['worker', 'main']).optional(),
  /**
   * Local mode, validators in a worker thread (Linux): that thread's nice value, 0–19 (default 10;
   * 0 keeps the engine's priority). The engine's thread then wins contended CPU, so block checks
   * do not delay acknowledgements; the validators take what is left within their finality budget.
   */
  CHAIN_VALIDATOR_NICE: z.coerce.number().int().min(0).max(19).optional(),
  /**
   * `on` (default): simulated participants trade, meter and offer reserve through the exchange's
   * own procedures, so the demo market is alive. Tests and real deployments set it `off`.
   */
  SIMULATOR: flag.default(true),
  /** How many simulated participants (households, prosumers, businesses, batteries, plants). */
  SIMULATOR_PARTICIPANTS: z.coerce.number().int().min(10).max(2_000).default(300),
  /** Real-time orders the simulator sends per second (readings are paced separately). */
  SIMULATOR_ORDERS_PER_SECOND: z.coerce.number().int().min(0).max(50).default(3),
  /**
   * 32-byte key (base64 or hex) that encrypts account chain keys at rest. Unset: one is generated
   * into DATA_DIR/engine-kek.key on first start (fine for a demo, not for production).
   */
  KEY_ENCRYPTION_KEY: z
    .string()
    .refine(
      (s) => /^[0-9a-fA-F]{64}$/.test(s) || Buffer.from(s, 'base64').length === 32,
      'must be 32 bytes as 64 hex digits or base64',
    )
    .optional(),
  /** Mark session cookies Secure (set when the exchange is served over HTTPS). */
  SECURE_COOKIES: flag.default(false),
  /** Order entry limits per account and per IP (orders per second; bursts are twice that). */
  RATE_LIMIT_ORDERS_PER_ACCOUNT: z.coerce.number().positive().default(50),
  RATE_LIMIT_ORDERS_PER_IP: z.coerce.number().positive().default(500),
  /** Sign-in attempts per minute per IP and per account. */
  RATE_LIMIT_LOGINS_PER_MINUTE: z.coerce.number().positive().default(20),
  /** Allowed browser origins for Socket.IO when the browser reaches the engine directly. */
  CORS_ORIGINS: z
    .string()
    .default('http://localhost:3000,http://127.0.0.1:3000')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
});

/** Combinations that parse one by one but cannot run together; each problem carries a code. */
function combinationProblems(env: z.infer<typeof EnvSchema>): string[] {
  const problems: string[] = [];
  if (env.CHAIN_MODE === 'devnet') {
    if (!env.CHAIN_DEVNET_DIR) {
      problems.push(
        'CHAIN_DEVNET_DIR: ENV_CHAIN_DEVNET_DIR_MISSING: CHAIN_MODE=devnet needs the devnet folder (genesis and keys) that `npm run chain:devnet` writes',
      );
    }
    if (env.CLOCK === 'sim') {
      problems.push(
        "CLOCK: ENV_CHAIN_DEVNET_SIM_CLOCK: CLOCK=sim cannot join a devnet: its validators' block times are their real clocks, so simulated meter intervals would not have ended on chain",
      );
    }
    if (env.CHAIN_BLOCK_INTERVAL_MS !== undefined) {
      problems.push(
        "CHAIN_BLOCK_INTERVAL_MS: ENV_CHAIN_MODE_MISMATCH: set only with CHAIN_MODE=local (a devnet's validators pace their blocks by their own configs' timeouts.minBlockIntervalMs)",
      );
    }
    for (const name of ['CHAIN_VALIDATOR_THREAD', 'CHAIN_VALIDATOR_NICE'] as const) {
      if (env[name] !== undefined) {
        problems.push(
          `${name}: ENV_CHAIN_MODE_MISMATCH: set only with CHAIN_MODE=local (a devnet runs its validators as processes of their own)`,
        );
      }
    }
  } else {
    for (const name of ['CHAIN_DEVNET_DIR', 'CHAIN_PEERS'] as const) {
      if (env[name] !== undefined) {
        problems.push(
          `${name}: ENV_CHAIN_MODE_MISMATCH: set only with CHAIN_MODE=devnet (CHAIN_MODE is local: the validators run in-process)`,
        );
      }
    }
    if (env.CHAIN_VALIDATOR_NICE !== undefined && env.CHAIN_VALIDATOR_THREAD === 'main') {
      problems.push(
        "CHAIN_VALIDATOR_NICE: ENV_CHAIN_MODE_MISMATCH: set only with the validators in their own thread (CHAIN_VALIDATOR_THREAD=main runs them on the engine's thread, whose priority it would lower)",
      );
    }
  }
  return problems;
}

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment (process.env by default); throws EnvError naming each bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const problems = combinationProblems(parsed.data);
  if (problems.length) throw new EnvError(problems);
  return {
    ...parsed.data,
    DATA_DIR: path.resolve(parsed.data.DATA_DIR),
    ...(parsed.data.CHAIN_DEVNET_DIR
      ? { CHAIN_DEVNET_DIR: path.resolve(parsed.data.CHAIN_DEVNET_DIR) }
      : {}),
  };
}
