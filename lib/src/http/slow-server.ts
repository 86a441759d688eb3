import { fork, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import {
  SLOW_SERVER_MAX_DELAY_MS,
  type ChildMessage,
  type ParentMessage,
  type SlowServerConfig,
  type SlowServerRecord,
  type SlowServerStats,
  type SlowServerWorkerClass,
} from "./slow-server-process";

export { SLOW_SERVER_MAX_DELAY_MS };
export { SENT_AT_HEADER, RATE_LIMIT_MAX } from "./slow-routes";
export type { SlowServerRecord, SlowServerStats, SlowServerOutcome, SlowServerWorkerClass } from "./slow-server-process";

/** Most workers of each class: a sync worker is a whole Node process. */
export const SLOW_SERVER_MAX_WORKERS: Readonly<Record<SlowServerWorkerClass, number>> = { sync: 64, async: 1000 };

/** Options of {@link startSlowServer}. */
export interface SlowServerOptions {
  /**
   * How requests are served, named after gunicorn's worker classes:
   * - `"sync"` (default): gunicorn's sync workers. `workers` processes share
   *   the listening socket and each serves one request at a time, blocking
   *   while it does; waiting connections sit in the kernel's listen backlog;
   *   every response closes its connection; a client that gives up is not
   *   noticed, so its request holds its worker to the end.
   * - `"async"`: one event-loop process with `workers` slots, like an async
   *   worker class. It accepts at once and queues in its own FIFO queue (503
   *   when full), keeps connections alive, and stops a handler whose client
   *   disconnected (`client-gone`).
   */
  workerClass?: SlowServerWorkerClass;
  /** Requests served at once (`gunicorn -w N`). Default 3; at most 64 sync, 1000 async. */
  workers?: number;
  /** How long each request holds its worker, in ms (0..60000). Default 1000. */
  delayMs?: number;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Address to bind. Default `127.0.0.1`: the server is a test fixture that
   * anyone could use to tie up a machine's sockets, so it is not reachable
   * from the network unless asked for.
   */
  host?: string;
  /**
   * How many requests may wait for a worker. Sync: the listen backlog
   * (default 2048, gunicorn's `--backlog`; Linux caps it at
   * `net.core.somaxconn`); beyond it the kernel drops or refuses connection
   * attempts, and no HTTP answer is ever sent. Async: the in-process queue
   * (default 1000); one more gets 503 with `Retry-After`.
   */
  queueLimit?: number;
  /** Called in this process for each finished request (the CLI logs with it). */
  onRequest?: (record: SlowServerRecord) => void;
}

/** A running slow server, see {@link startSlowServer}. */
export interface SlowServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly workerClass: SlowServerWorkerClass;
  /** Process id of the server's main process (the arbiter). */
  readonly pid: number;
  /** The worker processes at start (sync: one per worker; async: the main process). */
  readonly workerPids: readonly number[];
  /** A URL that answers the counters as JSON at once, even while every worker is busy. */
  readonly statsUrl: string;
  /** The URL of the rate-limited endpoint: at most `perSecond` requests per one-second window, 429 beyond. */
  rateUrl(perSecond: number): string;
  /** Every finished request since start or the last reset, in finishing order. */
  requests(): Promise<SlowServerRecord[]>;
  /** Forgets the records, counters and rate windows (requests still in flight are recorded when they finish). */
  reset(): Promise<void>;
  /** The live counters: busy workers, queue length, maxima, outcomes. */
  stats(): Promise<SlowServerStats>;
  /** Stops the server and its workers and waits for its process to exit. Safe to call again. */
  close(): Promise<void>;
}

/**
 * Starts the lecture's slow web API (`gunicorn -w 3` in front of an app that
 * sleeps 1 s) in a child process of its own, so a cell that blocks the
 * notebook's event loop does not stall it. See {@link SlowServerOptions.workerClass}
 * for the two ways it serves: `"sync"` (default, gunicorn's pre-fork sync
 * workers) and `"async"` (one event loop with an in-process queue).
 *
 * Every request is recorded on the shared clock (send time, start, end,
 * worker, pid, queue wait). A sync server cannot see a connection that waits
 * in the kernel's backlog, so it measures that wait as accept time minus the
 * client's send time, which the client gives in an `x-sent-at` header (ms on
 * the shared clock; the lib's clients and the notebooks' Python clients send
 * it). Responses carry `x-worker`, `x-worker-pid`, `x-accepted-at` and, when
 * the wait is known, `x-queue-wait-ms`.
 *
 * Routes: `/` (the lecture's text), `/delay/:ms` (≤ 60000), `/status/:code`
 * (200..599), `/json`, `/image/:size.png` and `/image/:size.jpeg`
 * (deterministic, side ≤ 2048, cached), `/rate/:n` (at most n requests per
 * one-second window answered 200 at once, the rest 429 with `Retry-After`),
 * `/stats`. Query strings are ignored, so `/?i=3` can tell requests apart.
 * Bad parameters get 400, unknown routes 404.
 *
 * `/stats` and images, per class. Async: `/stats` is answered at once, and
 * images are encoded on a background thread, so neither waits for a worker
 * or for an encode (the loop still spends the time to write each response).
 * Sync: a request for `/stats` on the server's port waits for a free worker
 * like any request to gunicorn would; {@link SlowServer.statsUrl} (a port of
 * the main process) and `stats()` answer at once. A sync worker encodes an
 * image itself, blocking only that worker (each worker caches what it made).
 *
 * The server exits when `close()` is called, and on its own when this process
 * exits or dies (its IPC channel closes), e.g. on a kernel restart.
 *
 * @example
 * ```ts
 * import { startSlowServer } from "concurrency-lab";
 * const server = await startSlowServer({ workers: 3, delayMs: 1000 });
 * const text = await (await fetch(server.url)).text(); // "This is a slow web api", after 1 s
 * console.table(await server.requests());
 * await server.close();
 * ```
 */
export async function startSlowServer(options: SlowServerOptions = {}): Promise<SlowServer> {
  const config = checkOptions(options);
  const child = fork(path.join(__dirname, "slow-server-process.js"), [JSON.stringify(config)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: [], // not the parent's flags: an --inspect port would clash
    serialization: "json",
  });
  const listening = await waitForListening(child, config);
  return new ChildSlowServer(child, config, listening, options.onRequest);
}

function checkOptions(options: SlowServerOptions): SlowServerConfig {
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object");
  const { workerClass = "sync", workers = 3, delayMs = 1000, port = 0, host = "127.0.0.1" } = options;
  if (workerClass !== "sync" && workerClass !== "async") {
    throw new TypeError(`workerClass must be "sync" or "async", got ${JSON.stringify(workerClass)}`);
  }
  if (workerClass === "sync" && process.platform === "win32") {
    // A sync worker reads and writes its socket's file descriptor directly; Windows sockets have none.
    throw new Error('workerClass "sync" needs Linux or macOS; on Windows use workerClass "async"');
  }
  const { queueLimit = workerClass === "sync" ? 2048 : 1000 } = options;
  const integer = (name: string, value: number, min: number, max: number, hint = "") => {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw new TypeError(`${name} must be an integer, got ${String(value)}`);
    }
    if (value < min || value > max) throw new RangeError(`${name} must be from ${min} to ${max}, got ${value}${hint}`);
  };
  const more = workerClass === "sync" ? ` (a sync worker is a process; workerClass "async" takes up to ${SLOW_SERVER_MAX_WORKERS.async})` : "";
  integer("workers", workers, 1, SLOW_SERVER_MAX_WORKERS[workerClass], more);
  integer("delayMs", delayMs, 0, SLOW_SERVER_MAX_DELAY_MS);
  integer("port", port, 0, 65535);
  integer("queueLimit", queueLimit, workerClass === "sync" ? 1 : 0, 1_000_000);
  if (typeof host !== "string" || host === "") throw new TypeError(`host must be a non-empty string, got ${String(host)}`);
  if (options.onRequest !== undefined && typeof options.onRequest !== "function") {
    throw new TypeError("onRequest must be a function");
  }
  return { workerClass, workers, delayMs, port, host, queueLimit, streamRecords: options.onRequest !== undefined };
}

type Listening = Extract<ChildMessage, { type: "listening" }>;

function waitForListening(child: ChildProcess, config: SlowServerConfig): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: ChildMessage) => {
      if (msg.type === "listening") {
        cleanup();
        resolve(msg);
      } else if (msg.type === "listen-error") {
        cleanup();
        const where = `${config.host}:${config.port}`;
        reject(
          msg.code === "EADDRINUSE"
            ? new Error(`slow server cannot start: port ${config.port} is already in use on ${config.host}`)
            : new Error(`slow server cannot listen on ${where}: ${msg.message}`),
        );
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`slow server process exited before listening (code ${code}, signal ${signal})`));
    };
    const onError = (err: Error) => {
      cleanup();
      child.kill();
      reject(err);
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

class ChildSlowServer implements SlowServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly workerClass: SlowServerWorkerClass;
  readonly workerPids: readonly number[];
  readonly statsUrl: string;
  #child: ChildProcess;
  #nextId = 1;
  #waiting = new Map<number, { resolve: (data: unknown) => void; reject: (err: Error) => void }>();
  #closed: Promise<void> | undefined;
  /** Settles when the child process has exited. */
  #gone: Promise<void>;

  constructor(
    child: ChildProcess,
    config: SlowServerConfig,
    listening: Listening,
    onRequest: ((record: SlowServerRecord) => void) | undefined,
  ) {
    this.#child = child;
    this.pid = child.pid!;
    this.port = listening.port;
    this.workerClass = config.workerClass;
    this.workerPids = Object.freeze([...listening.pids]);
    this.#gone = new Promise((resolve) => child.once("exit", () => resolve()));
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    this.url = `http://${host}:${listening.port}`;
    this.statsUrl = `http://${host}:${listening.statsPort}/stats`;
    child.on("message", (msg: ChildMessage) => {
      if (msg.type === "reply") {
        this.#waiting.get(msg.id)?.resolve(msg.data);
        this.#waiting.delete(msg.id);
      } else if (msg.type === "record") {
        onRequest?.(msg.record);
      }
    });
    child.once("exit", () => {
      for (const { reject } of this.#waiting.values()) reject(new Error("slow server process has exited"));
      this.#waiting.clear();
    });
  }

  #ask<T>(type: ParentMessage["type"]): Promise<T> {
    if (this.#closed !== undefined || !this.#child.connected) {
      return Promise.reject(new Error("slow server is closed"));
    }
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (data: unknown) => void, reject });
      this.#child.send({ type, id } satisfies ParentMessage);
    });
  }

  rateUrl(perSecond: number): string {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`perSecond must be an integer >= 1, got ${perSecond}`);
    return `${this.url}/rate/${perSecond}`;
  }

  requests(): Promise<SlowServerRecord[]> {
    return this.#ask("requests");
  }

  reset(): Promise<void> {
    return this.#ask("reset");
  }

  stats(): Promise<SlowServerStats> {
    return this.#ask("stats");
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      const child = this.#child;
      // Closing the channel is the child's signal to exit; SIGKILL if it has not within 2 s.
      const killer = setTimeout(() => child.kill("SIGKILL"), 2000).unref();
      this.#gone.then(() => {
        clearTimeout(killer);
        resolve();
      });
      if (child.connected) child.disconnect();
    });
    return this.#closed;
  }
}
