/**
 * The HTTP clients of the lecture (sequential, threads, async, a semaphore,
 * a process pool), one function per strategy, all on node:http.
 *
 * Every strategy returns a {@link ClientRun}: the bodies in URL order, with
 * errors in place of the URLs that failed (Python's
 * `asyncio.gather(*tasks, return_exceptions=True)`), per-request timings and
 * timeline spans on the shared clock, so they line up with the slow server's
 * own records. Every strategy takes a per-request timeout and a connection
 * limit (`maxSockets`, the Node counterpart of aiohttp's
 * `TCPConnector(limit=...)`): besides a semaphore and a pool size, a third way
 * to bound how many requests are in flight.
 *
 * Requests go out through node:http and carry their send time in an
 * `x-sent-at` header (stamped when the request gets its connection), so the
 * slow server can measure how long each waited in its listen backlog.
 */
import * as http from "node:http";
import * as https from "node:https";
import { AsyncSemaphore } from "../sync/async-semaphore";
import { now } from "../measure/clock";
import type { Executor } from "../executors/executor";
import { ProcessPoolExecutor } from "../executors/process-pool";
import { taskFrom } from "../executors/task";
import { ThreadPoolExecutor } from "../executors/thread-pool";
import { currentLane, type Span } from "../measure/timeline";
import { SENT_AT_HEADER } from "./slow-routes";

/** The strategies of the lecture, as named in {@link ClientRun.strategy}. */
export type ClientStrategy = "sequential" | "threads" | "thread pool" | "async" | "async limited" | "processes";

/** Options every client takes. */
export interface ClientOptions {
  /** Give up on one request after this many ms (its result becomes a `TimeoutError`). Default: no timeout. */
  timeoutMs?: number;
  /**
   * At most this many open connections (an `http.Agent` with `maxSockets`);
   * further requests wait inside the agent for a free socket. In-process
   * strategies share one agent, so the limit is global; in the thread and
   * process strategies each worker has its own agent, so it is per worker.
   */
  maxSockets?: number;
  /** Treat a non-2xx response as an error ({@link HttpStatusError}), like `raise_for_status()`. Default false. */
  raiseForStatus?: boolean;
  /** Cancels everything still pending; their results become the signal's reason. */
  signal?: AbortSignal;
}

/** Options of the in-process strategies (sequential, async, async limited). */
export interface InProcessClientOptions extends ClientOptions {
  /** Use this agent instead of a fresh one per run (then `maxSockets` must be left out). Not closed by the run. */
  agent?: http.Agent;
}

/** One URL's outcome. Times are ms on the shared clock {@link now}. */
export interface FetchResult {
  index: number;
  url: string;
  /** The HTTP status, or null when no response arrived (then `error` says why). */
  status: number | null;
  /** The body text, or null on error. */
  body: string | null;
  error: Error | null;
  /** Who made the request: "main", "task 3" (an async task), "thread 7", "pid 1234". */
  lane: string;
  /** When the strategy took this URL in hand (before waiting for a semaphore, pool or socket). */
  queued: number;
  /** When the HTTP request started. */
  start: number;
  /**
   * When it got a connection and was sent (with its send time in `x-sent-at`);
   * later than `start` when it waited for a free socket (`maxSockets`). Null if never sent.
   */
  sentAt: number | null;
  /** When the body was read, or the request failed. */
  end: number;
  /** The server's `x-queue-wait-ms` header: how long the request waited for a server worker. */
  serverQueueWaitMs: number | null;
  /** The server's `x-worker` header. */
  serverWorker: number | null;
  /** The server's `x-worker-pid` header: the process that served it. */
  serverPid: number | null;
}

/** What every client returns. */
export interface ClientRun {
  strategy: ClientStrategy;
  /** One result per URL, in URL order. */
  results: FetchResult[];
  /** Bodies in URL order, with the Error in place of each failed URL (`gather(return_exceptions=True)`). */
  bodies: Array<string | Error>;
  /** How many URLs failed. */
  errors: number;
  /**
   * Shared-clock spans: an "io" span per request on the lane that made it;
   * before it, a "waiting" span for a semaphore permit (async limited). The
   * thread and process strategies add a "starting" span on each worker's lane
   * (from the call's start until that worker began its first URL) and a
   * "queued" span on a lane of its own ("queue N") for each URL that waited
   * in the pool's queue for a busy worker.
   */
  spans: Span[];
  /** When the call began and ended, on the shared clock. */
  start: number;
  end: number;
  /** end - start. */
  wallMs: number;
  /**
   * Thread and process strategies: time from the call's start until the
   * slowest worker began its first URL (workers boot in parallel, and each
   * sends as soon as it is up, as the lecture's threads do). 0 in process.
   */
  startupMs: number;
}

/**
 * A non-2xx status when `raiseForStatus` is set: the Node counterpart of
 * `requests`' `HTTPError`.
 *
 * @example
 * ```ts
 * const run = await fetchAsync([`${server.url}/status/500`], { raiseForStatus: true });
 * run.bodies[0] instanceof Error; // true: HttpStatusError "GET …/status/500: HTTP 500"
 * ```
 */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url}: HTTP ${status} ${http.STATUS_CODES[status] ?? ""}`.trimEnd());
  }
}

/**
 * The lecture's `client_sync.py`: one request after the other on the main
 * thread. With the server's 1 s delay, n URLs take about n seconds.
 *
 * @example
 * ```ts
 * import { fetchSequential, startSlowServer } from "concurrency-lab";
 * const server = await startSlowServer();
 * const run = await fetchSequential([server.url, server.url, server.url]);
 * run.wallMs; // ≈ 3000
 * await server.close();
 * ```
 */
export async function fetchSequential(urls: string[], options: InProcessClientOptions = {}): Promise<ClientRun> {
  checkUrls(urls);
  checkOptions(options);
  return inProcess("sequential", options, async (getOne) => {
    const results: FetchResult[] = [];
    for (const [i, url] of urls.entries()) results.push(await getOne(url, i, "main", now()));
    return results;
  });
}

/**
 * The lecture's `client_async.py`: every request started at once with
 * `Promise.all` (`asyncio.gather`), all on the main thread. Each request is
 * drawn on its own lane, "task i", like asyncio's tasks, though one thread runs them all.
 *
 * @example
 * ```ts
 * const run = await fetchAsync(Array(3).fill(server.url)); // ≈ 1 s against 3 workers
 * run.bodies; // ["This is a slow web api\n", ...]
 * ```
 */
export async function fetchAsync(urls: string[], options: InProcessClientOptions = {}): Promise<ClientRun> {
  checkUrls(urls);
  checkOptions(options);
  return inProcess("async", options, (getOne) => {
    const queued = now();
    return Promise.all(urls.map((url, i) => getOne(url, i, `task ${i + 1}`, queued)));
  });
}

/**
 * The lecture's `client_async_with_semaphore.py`: all requests started as
 * tasks at once, but at most `limit` past the semaphore (`asyncio.Semaphore(limit)`),
 * so the server's queue stays empty. The time a task waits for the semaphore
 * is drawn as a "waiting" span.
 *
 * @example
 * ```ts
 * const run = await fetchAsyncLimited(Array(9).fill(server.url), 3); // ≈ 3 s, server queue waits ≈ 0
 * ```
 */
export async function fetchAsyncLimited(
  urls: string[],
  limit: number,
  options: InProcessClientOptions = {},
): Promise<ClientRun> {
  checkUrls(urls);
  checkCount("limit", limit);
  checkOptions(options);
  const semaphore = new AsyncSemaphore(limit);
  return inProcess("async limited", options, (getOne) => {
    const queued = now();
    return Promise.all(
      urls.map(async (url, i) => {
        try {
          await semaphore.acquire(options.signal);
        } catch (reason) {
          return failed(url, i, `task ${i + 1}`, queued, asError(reason));
        }
        try {
          return await getOne(url, i, `task ${i + 1}`, queued);
        } finally {
          semaphore.release();
        }
      }),
    );
  });
}

/**
 * The lecture's `client_threading.py`: one thread per URL. The threads come
 * from a {@link ThreadPoolExecutor} sized to the URL count, started for this
 * call and shut down after it, which is exactly a thread per URL while
 * reusing the pool's error handling and clean-up instead of hand-written
 * `Worker` plumbing. As in the lecture, each thread sends its request as soon
 * as it is up, not when all are; its start-up is drawn as a "starting" span
 * on its lane, and the slowest start-up is reported as `startupMs`.
 *
 * @example
 * ```ts
 * const run = await fetchWithThreads(Array(3).fill(server.url)); // ≈ 1 s + thread start-up
 * new Set(run.results.map((r) => r.lane)).size; // 3 threads
 * ```
 */
export async function fetchWithThreads(urls: string[], options: ClientOptions = {}): Promise<ClientRun> {
  checkUrls(urls);
  checkOptions(options);
  return inPool("threads", new ThreadPoolExecutor({ maxWorkers: Math.max(1, urls.length) }), urls, options);
}

/**
 * `concurrent.futures.ThreadPoolExecutor(n)`: the URLs shared among `n`
 * worker threads; a URL waits for a free thread ("queued" span).
 *
 * @example
 * ```ts
 * const run = await fetchWithThreadPool(Array(9).fill(server.url), 3); // ≈ 3 s
 * ```
 */
export async function fetchWithThreadPool(urls: string[], n: number, options: ClientOptions = {}): Promise<ClientRun> {
  checkUrls(urls);
  checkCount("n", n);
  checkOptions(options);
  return inPool("thread pool", new ThreadPoolExecutor({ maxWorkers: n }), urls, options);
}

/**
 * The lecture's `client_multiprocessing.py`: `multiprocessing.Pool(n).map(fetch, urls)`
 * on a {@link ProcessPoolExecutor}. Like `Pool`, it hands out the URLs at
 * once and each child starts on its first as soon as it is up. Starting the
 * child processes is the expensive part: "starting" spans and `startupMs`.
 *
 * @example
 * ```ts
 * const run = await fetchWithProcesses(Array(3).fill(server.url), 3);
 * run.startupMs; // ≈ 100 ms of process start-up, before the ≈ 1 s of requests
 * ```
 */
export async function fetchWithProcesses(urls: string[], n: number, options: ClientOptions = {}): Promise<ClientRun> {
  checkUrls(urls);
  checkCount("n", n);
  checkOptions(options);
  return inPool("processes", new ProcessPoolExecutor({ maxWorkers: n }), urls, options);
}

/** What crosses a thread or process boundary instead of an Error object. */
interface WireError {
  name: string;
  message: string;
  status?: number;
}

/** The options a worker gets (no agent or signal: they cannot be copied to another thread). */
interface WireOptions {
  timeoutMs?: number;
  maxSockets?: number;
  raiseForStatus?: boolean;
}

type WireResult = Omit<FetchResult, "error"> & { error: WireError | null };

/** One agent per connection limit in each worker, kept for the worker's life (idle sockets do not hold it). */
const workerAgents = new Map<number, http.Agent>();

/**
 * The task the thread and process pools run: fetches one URL and returns a
 * plain, copyable result. It never throws, so a failed URL cannot lose the others.
 * Exported only so that workers can load it; call the strategies instead.
 *
 * @example
 * ```ts
 * const fetchTask = taskFrom<Parameters<typeof fetchInWorker>, Awaited<ReturnType<typeof fetchInWorker>>>(
 *   require.resolve("concurrency-lab/dist/http/http-clients"), "fetchInWorker");
 * const r = await pool.submit(fetchTask, "http://127.0.0.1:8000/", 0, now(), { timeoutMs: 5000 });
 * ```
 */
export async function fetchInWorker(url: string, index: number, queued: number, options: WireOptions): Promise<WireResult> {
  let agent: http.Agent | undefined;
  if (options.maxSockets !== undefined) {
    agent = workerAgents.get(options.maxSockets);
    if (agent === undefined) {
      agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
      workerAgents.set(options.maxSockets, agent);
    }
  }
  const result = await fetchOne(url, index, currentLane(), queued, { ...options, agent });
  return { ...result, error: result.error && toWire(result.error) };
}

const fetchTask = taskFrom<Parameters<typeof fetchInWorker>, WireResult>(__filename, "fetchInWorker");

/** Runs an in-process strategy with one agent for the run, and assembles the report. */
async function inProcess(
  strategy: ClientStrategy,
  options: InProcessClientOptions,
  run: (getOne: (url: string, index: number, lane: string, queued: number) => Promise<FetchResult>) => Promise<FetchResult[]>,
): Promise<ClientRun> {
  const start = now();
  // A fresh keep-alive agent per run, destroyed after it: no socket outlives the call.
  const ownAgent = options.agent === undefined ? new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }) : undefined;
  const agent = options.agent ?? ownAgent!;
  try {
    const results = await run((url, i, lane, queued) => fetchOne(url, i, lane, queued, { ...options, agent }));
    return report(strategy, results, start, false, Number.isFinite(agent.maxSockets));
  } finally {
    ownAgent?.destroy();
  }
}

/** Runs a thread or process strategy on `pool`, always shutting the pool down. */
async function inPool(strategy: ClientStrategy, pool: Executor, urls: string[], options: ClientOptions): Promise<ClientRun> {
  const start = now();
  try {
    const wire: WireOptions = { timeoutMs: options.timeoutMs, maxSockets: options.maxSockets, raiseForStatus: options.raiseForStatus };
    // Every URL goes to the pool at once; each worker starts on one as soon as it is up.
    const results = await Promise.all(
      urls.map(async (url, i): Promise<FetchResult> => {
        try {
          const r = await pool.submitWith({ signal: options.signal }, fetchTask, url, i, start, wire);
          return { ...r, error: r.error && fromWire(r.error) };
        } catch (err) {
          return failed(url, i, "main", start, asError(err)); // cancelled before it ran, or its worker died
        }
      }),
    );
    return report(strategy, results, start, true, options.maxSockets !== undefined);
  } finally {
    await pool.shutdown({ cancelFutures: true });
  }
}

/** Fetches one URL; never throws: failures come back in `error`. */
async function fetchOne(
  url: string,
  index: number,
  lane: string,
  queued: number,
  options: WireOptions & { agent?: http.Agent; signal?: AbortSignal },
): Promise<FetchResult> {
  const controller = new AbortController();
  const cancel = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", cancel, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(timeoutError(url, options.timeoutMs!)), options.timeoutMs);
  const start = now();
  let sentAt: number | null = null;
  try {
    if (options.signal?.aborted) throw asError(options.signal.reason);
    const res = await getText(url, options.agent, controller.signal, (t) => (sentAt = t));
    const header = (name: string) => {
      const value = res.headers[name];
      return typeof value === "string" ? Number(value) : null;
    };
    const error = options.raiseForStatus && !(res.status >= 200 && res.status < 300) ? new HttpStatusError(url, res.status) : null;
    return {
      index,
      url,
      status: res.status,
      body: error ? null : res.body,
      error,
      lane,
      queued,
      start,
      sentAt,
      end: now(),
      serverQueueWaitMs: header("x-queue-wait-ms"),
      serverWorker: header("x-worker"),
      serverPid: header("x-worker-pid"),
    };
  } catch (err) {
    // An abort surfaces as the socket's AbortError; the controller's reason says which one it was.
    const error = controller.signal.aborted ? asError(controller.signal.reason) : asError(err);
    return { ...failed(url, index, lane, queued, error), start, sentAt };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancel);
  }
}

/**
 * GET `url` with node:http (or https) and read the body as text. The request
 * is sent only once it has a socket (an agent with `maxSockets` may keep it
 * waiting for one), and then carries its send time in `x-sent-at`, which
 * `onSent` also receives.
 */
function getText(
  url: string,
  agent: http.Agent | undefined,
  signal: AbortSignal,
  onSent: (t: number) => void,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith("https:");
    const request = (secure ? https.request : http.request)(url, { method: "GET", agent: secure ? undefined : agent, signal });
    request.once("socket", () => {
      const t = now();
      request.setHeader(SENT_AT_HEADER, t.toFixed(3)); // the shared clock: how a sync server sees its backlog wait
      onSent(t);
      request.end();
    });
    request.once("error", reject);
    request.once("response", (res) => {
      res.setEncoding("utf8");
      let body = "";
      res.on("data", (chunk: string) => (body += chunk));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.once("error", reject);
      res.once("aborted", () => reject(new Error(`GET ${url}: the connection closed before the whole body arrived`)));
    });
  });
}

function failed(url: string, index: number, lane: string, queued: number, error: Error): FetchResult {
  const t = now();
  return {
    index,
    url,
    status: null,
    body: null,
    error,
    lane,
    queued,
    start: t,
    sentAt: null,
    end: t,
    serverQueueWaitMs: null,
    serverWorker: null,
    serverPid: null,
  };
}

/**
 * Assembles a run. `pooled`: thread or process workers (starting and pool-queue spans);
 * `socketLimited`: an agent with a finite `maxSockets` (waits for a connection get a span).
 */
function report(strategy: ClientStrategy, results: FetchResult[], start: number, pooled: boolean, socketLimited: boolean): ClientRun {
  const end = now();
  const label = (r: FetchResult) => `${r.index + 1}: ${shortUrl(r.url)}${r.error ? ` (${r.error.name})` : ""}`;
  const spans: Span[] = [];
  // Each worker's first URL: until then the worker was starting, not queueing.
  const firstOnLane = new Map<string, FetchResult>();
  if (pooled) {
    for (const r of [...results].sort((a, b) => a.start - b.start)) if (!firstOnLane.has(r.lane) && r.lane !== "main") firstOnLane.set(r.lane, r);
    for (const [lane, r] of firstOnLane) {
      const kind = lane.startsWith("pid") ? "process" : "thread";
      spans.push({ label: `starting the ${kind}`, lane, start, end: r.start, kind: "starting" });
    }
  }
  for (const r of results) {
    const waited = r.start - r.queued > 1; // under a millisecond is scheduling noise
    if (waited && !pooled) spans.push({ label: label(r), lane: r.lane, start: r.queued, end: r.start, kind: strategy === "async limited" ? "waiting" : "queued" });
    if (waited && pooled && firstOnLane.get(r.lane) !== r) {
      spans.push({ label: label(r), lane: `queue ${r.index + 1}`, start: r.queued, end: r.start, kind: "queued" });
    }
    const sent = r.sentAt ?? r.start;
    if (socketLimited && sent - r.start > 1) spans.push({ label: `${label(r)} (waiting for a connection)`, lane: r.lane, start: r.start, end: sent, kind: "waiting" });
    spans.push({ label: label(r), lane: r.lane, start: sent, end: r.end, kind: "io" });
  }
  const startupMs = pooled && firstOnLane.size > 0 ? Math.max(...[...firstOnLane.values()].map((r) => r.start - start)) : 0;
  return {
    strategy,
    results,
    bodies: results.map((r) => r.error ?? r.body!),
    errors: results.filter((r) => r.error !== null).length,
    spans,
    start,
    end,
    wallMs: end - start,
    startupMs,
  };
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function timeoutError(url: string, ms: number): Error {
  const err = new Error(`GET ${url} timed out after ${ms} ms`);
  err.name = "TimeoutError";
  return err;
}

function asError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  const err = new Error(String(reason ?? "aborted"));
  err.name = "AbortError";
  return err;
}

function toWire(err: Error): WireError {
  return { name: err.name, message: err.message, ...(err instanceof HttpStatusError ? { status: err.status } : {}) };
}

function fromWire(w: WireError): Error {
  if (w.name === "HttpStatusError" && w.status !== undefined) {
    return Object.assign(new HttpStatusError("", w.status), { message: w.message });
  }
  const err = new Error(w.message);
  err.name = w.name;
  return err;
}

function checkUrls(urls: unknown): asserts urls is string[] {
  if (!Array.isArray(urls)) throw new TypeError(`urls must be an array of URL strings, got ${typeof urls}`);
  urls.forEach((u, i) => {
    if (typeof u !== "string" || !URL.canParse(u)) throw new TypeError(`urls[${i}] must be an absolute URL, got ${String(u)}`);
  });
}

function checkCount(name: string, n: unknown): void {
  if (typeof n !== "number" || !Number.isInteger(n)) throw new TypeError(`${name} must be an integer, got ${String(n)}`);
  if (n < 1) throw new RangeError(`${name} must be >= 1, got ${n}`);
}

function checkOptions(options: InProcessClientOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const { timeoutMs, maxSockets, agent } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new RangeError(`timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
  }
  if (maxSockets !== undefined) checkCount("maxSockets", maxSockets);
  if (agent !== undefined && !(agent instanceof http.Agent)) throw new TypeError("agent must be an http.Agent");
  if (agent !== undefined && maxSockets !== undefined) {
    throw new TypeError("pass either agent or maxSockets, not both (set maxSockets on your agent)");
  }
}
