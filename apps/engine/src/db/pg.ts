// The pg pool every Prisma adapter in GridTokenX uses, for the engine and for the Prisma CLI.
// @prisma/adapter-pg refuses Postgres catalog column types (name, "char", regclass, …) that the
// schema engine reads while migrating; this client reports them as text, which is what they are.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

const TEXT_OID = 25;

/** Catalog and internal type ids that the adapter cannot map; their text form is exact. */
const CATALOG_TYPE_OIDS: ReadonlySet<number> = new Set([
  18, // "char"
  19, // name
  22, // int2vector
  24, // regproc
  27, // tid
  28, // xid
  29, // cid
  30, // oidvector
  194, // pg_node_tree
  1002, // "char"[]
  1003, // name[]
  1033, // aclitem
  1034, // aclitem[]
  2202, // regprocedure
  2203, // regoper
  2204, // regoperator
  2205, // regclass
  2206, // regtype
  3220, // pg_lsn
  3361, // pg_ndistinct
  3402, // pg_dependencies
  3769, // regdictionary
  4089, // regnamespace
  4096, // regrole
  5017, // pg_mcv_list
  5069, // xid8
]);

interface FieldsCarrier {
  fields?: { dataTypeID: number }[];
}

function reportCatalogTypesAsText(result: unknown): void {
  const results = Array.isArray(result) ? (result as unknown[]) : [result];
  for (const r of results) {
    const fields = (r as FieldsCarrier | null)?.fields;
    if (!fields) continue;
    for (const field of fields) {
      if (CATALOG_TYPE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
}

type AnyFn = (...args: unknown[]) => unknown;

/** Whether a `version()` string is the embedded database's (PGlite). */
export function isSharedSessionServer(version: string): boolean {
  return version.includes('PGlite');
}

/**
 * A pg.Client whose results never carry catalog type ids, for both promise and callback use.
 *
 * On the embedded database (PGlite) every connection is the same session, so a named prepared
 * statement outlives the connection that prepared it: the pool's replacement for a connection
 * closed after an error would prepare it again and fail with `prepared statement … already
 * exists` — for every named statement, until the engine restarts. There, this client sends
 * named statements unnamed (PGlite runs in-process; it loses only the cached plan).
 */
export class CatalogSafeClient extends pg.Client {
  private unnamedStatements = false;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Wrapping the instance's query keeps pg's overloaded signature intact for callers.
    const original = super.query.bind(this) as unknown as AnyFn;
    const query: AnyFn = (...args) => {
      if (this.unnamedStatements) args[0] = withoutName(args[0]);
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        const callback = last as AnyFn;
        args[args.length - 1] = (err: unknown, res: unknown) => {
          if (!err) reportCatalogTypesAsText(res);
          callback(err, res);
        };
        return original(...args);
      }
      const first = args[0] as { callback?: AnyFn } | undefined;
      if (first && typeof first === 'object' && typeof first.callback === 'function') {
        const callback = first.callback;
        first.callback = (err: unknown, res: unknown) => {
          if (!err) reportCatalogTypesAsText(res);
          callback(err, res);
        };
      }
      const out = original(...args);
      if (out instanceof Promise) {
        return out.then((res: unknown) => {
          reportCatalogTypesAsText(res);
          return res;
        });
      }
      return out;
    };
    this.query = query as typeof this.query;
    // Learn the server's kind before the pool hands the connection out (pg-pool connects with a
    // callback; callers of a bare client use the promise).
    const connect: () => Promise<void> = () => super.connect();
    const connected = (): Promise<void> =>
      connect()
        .then(() => original('SELECT version() AS v') as Promise<{ rows: { v: string }[] }>)
        .then((r) => {
          this.unnamedStatements = isSharedSessionServer(String(r.rows[0]?.v ?? ''));
        });
    this.connect = ((callback?: (err: Error | null) => void) => {
      if (!callback) return connected();
      connected().then(
        () => callback(null),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
      return undefined;
    }) as typeof this.connect;
  }
}

/** A query config without its statement name (a submittable or a string passes unchanged). */
function withoutName(config: unknown): unknown {
  if (config === null || typeof config !== 'object') return config;
  const c = config as { name?: unknown; submit?: unknown };
  if (!c.name || typeof c.submit === 'function') return config;
  const { name: _name, ...rest } = c;
  return rest;
}

export interface PoolOptions {
  /** Connections in the pool; the embedded database serves one writer best. */
  max?: number;
  applicationName?: string;
  /** Told when an idle connection fails (e.g. the server restarted). */
  onIdleError?: (err: Error) => void;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'gridtokenx',
    Client: CatalogSafeClient,
  });
  // An idle connection the server closes (restart, failover, an administrator) emits 'error'
  // on the pool; unhandled, that would crash the process. The pool replaces the connection on
  // the next checkout; queries in flight still fail and are handled by their callers.
  pool.on('error', (err) => options.onIdleError?.(err));
  return pool;
}

/** The adapter factory Prisma uses, for the query client and for the CLI's schema engine. */
export function createAdapter(url: string, options: PoolOptions = {}): PrismaPg {
  return new PrismaPg(createPool(url, options), { disposeExternalPool: true });
}
