// tRPC over HTTP for the engine's port. A single (unbatched) JSON mutation — every order — is
// answered here directly from Node's request and response: the standard adapter first turns each
// request into a Fetch `Request` (URL, Headers, AbortSignals, a ReadableStream body) and each
// answer into a `Response` piped through a WritableStream, which cost more CPU per order than
// matching it. The wire format, procedures, middlewares, error shapes, status codes and onError
// are tRPC's own; anything else (queries, batches, streams, other content types) goes to the
// standard handler with the body already read. The answer's shape and envelope are built as
// tRPC's getErrorShape and transformTRPCResponse build them, less their object-spread copies.
// The order mutations (those built by init.ts's procedureOf) skip tRPC's middleware chain too:
// at each level its callRecursive and next copy the call's options and context with Babel's
// object-spread helper — 6.1 % of the main thread in a profile at 1,500 orders/s, 4.4 % in the
// helper itself — and add promise hops. Their direct call runs the parts the procedure is built
// from (role check, tRPC's parser, resolver) with the same errors; every other mutation still
// runs through its procedure's chain.
import type http from 'node:http';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import {
  getDefaultErrorShape,
  getFormattedErrorShape,
} from '@trpc/server/unstable-core-do-not-import';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { RequestContext } from '../context.ts';
import { directCallOf, type DirectCall } from './init.ts';
import { appRouter } from './router.ts';

export interface TrpcHttpOptions {
  /** Builds the request context (session, IP, request id); may throw. */
  createContext(req: http.IncomingMessage, res: http.ServerResponse): Promise<RequestContext>;
  onError(opts: {
    error: TRPCError;
    path: string | undefined;
    ctx: RequestContext | undefined;
  }): void;
}

const BASE_PATH = '/trpc/';

type Procedure = ((opts: {
  path: string;
  getRawInput: () => Promise<unknown>;
  ctx: RequestContext;
  type: 'mutation';
  signal: AbortSignal | undefined;
  batchIndex: number;
}) => Promise<unknown>) & { _def: { type: string } };

// Flat at run time (`orders.place`), whatever its declared type; the router has no lazy parts.
const procedures = appRouter._def.procedures as unknown as Record<string, Procedure | undefined>;
/** The mutations run without tRPC's middleware chain, by path. */
const directCalls = new Map<string, DirectCall>();
for (const [path, proc] of Object.entries(procedures)) {
  const call = proc && directCallOf(proc);
  if (call) directCalls.set(path, call);
}
const config = appRouter._def._config;
/** The router's output transformer (superjson), as transformTRPCResponse applies it. */
const serialize = (value: unknown): unknown => config.transformer.output.serialize(value);

/** The mutation a request may take the direct path to, or null for the standard handler. */
function directMutation(req: http.IncomingMessage): { path: string; proc: Procedure } | null {
  if (req.method !== 'POST') return null;
  const url = req.url ?? '';
  if (!url.startsWith(BASE_PATH) || url.includes('?')) return null;
  if (req.headers['trpc-accept'] !== undefined) return null;
  const contentType = req.headers['content-type'];
  if (!contentType || contentType.split(';', 1)[0]!.trim().toLowerCase() !== 'application/json') {
    return null;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.slice(BASE_PATH.length));
  } catch {
    return null;
  }
  const proc = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  return proc && proc._def.type === 'mutation' ? { path, proc } : null;
}

/** A stream-like result, which tRPC refuses in a non-streaming answer. */
function isDataStream(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (Symbol.asyncIterator in v) return true;
  return Object.values(v).some(
    (x) =>
      (typeof x === 'object' || typeof x === 'function') &&
      x !== null &&
      (typeof (x as { then?: unknown }).then === 'function' || Symbol.asyncIterator in x),
  );
}

/**
 * tRPC's getErrorShape for a mutation, step for step: the shape a procedure's own formatter left
 * on the error, or else the default shape through the root formatter. getErrorShape copies its
 * options for the formatter with tRPC's object-spread helper, about 3 µs per refused request on
 * Node 20; here the formatter gets them as a literal, as tRPC's error-formatter middleware
 * passes them (without `config`, which no formatter is documented to receive).
 */
function errorShape(
  error: TRPCError,
  ctx: RequestContext | undefined,
  input: unknown,
  path: string,
) {
  const formatted = getFormattedErrorShape(error);
  if (formatted !== undefined) return formatted;
  const shape = getDefaultErrorShape({ error, path, isDev: config.isDev });
  return config.errorFormatter({ error, type: 'mutation', path, input, ctx, shape });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString()),
    );
    req.on('error', reject);
  });
}

export function createTrpcHttpHandler(
  options: TrpcHttpOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const standard = createHTTPHandler({
    router: appRouter,
    basePath: BASE_PATH,
    createContext: ({ req, res }) => options.createContext(req, res),
    onError: ({ error, path, ctx }) => options.onError({ error, path, ctx }),
  });

  async function direct(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    proc: Procedure,
  ): Promise<void> {
    const text = await readBody(req);
    let input: unknown;
    try {
      input = text ? config.transformer.input.deserialize(JSON.parse(text)) : undefined;
    } catch {
      // Malformed JSON or transformer meta: the standard handler answers it in tRPC's words.
      (req as http.IncomingMessage & { body?: string }).body = text;
      standard(req, res);
      return;
    }
    let ctx: RequestContext | undefined;
    let body: string;
    let status = 200;
    try {
      ctx = await options.createContext(req, res);
      const call = directCalls.get(path);
      const data = call
        ? await call(ctx, input)
        : await proc({
            path,
            getRawInput: () => Promise.resolve(input),
            ctx,
            type: 'mutation',
            signal: undefined,
            batchIndex: 0,
          });
      if (isDataStream(data)) {
        throw new TRPCError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message:
            'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
        });
      }
      // transformTRPCResponse of one result, less its spread-helper copies of the envelope.
      body = JSON.stringify({ result: { data: serialize(data) } });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError({ error, path, ctx });
      const shape = errorShape(error, ctx, input, path);
      status = getHTTPStatusCode([{ error: shape }], [error]);
      body = JSON.stringify({ error: serialize(shape) });
    }
    res.statusCode = status;
    res.setHeader('vary', 'trpc-accept, accept');
    res.setHeader('content-type', 'application/json');
    res.end(body);
  }

  return (req, res) => {
    const target = directMutation(req);
    if (!target) {
      standard(req, res);
      return;
    }
    direct(req, res, target.path, target.proc).catch(() => {
      // Reading the request failed (the client went away): nothing can be answered.
      if (!res.headersSent) res.statusCode = 400;
      res.end();
    });
  };
}
