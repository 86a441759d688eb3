import { fork, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import {
  SLOW_SERVER_MAX_DELAY_MS,
  type ChildMessage,
  type ParentMessage,
  type SlowServerConfig,
  type SlowServerRecord,
  type SlowServerStats,
} from "./slow-server-process";

export { SLOW_SERVER_MAX_DELAY_MS };
export type { SlowServerRecord, SlowServerStats, SlowServerOutcome } from "./slow-server-process";

/** Options of {@link startSlowServer}. */
export interface SlowServerOptions {
  /** Requests served at once, like `gunicorn -w N` with sync workers. Default 3. */
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
  /** Requests that may wait for a worker; one more gets 503. Default 1000. */
  queueLimit?: number;
  /** Called in this process for each finished request (the CLI logs with it). */
  onRequest?: (record: SlowServerRecord) => void;
}

/** A running slow server, see {@link startSlowServer}. */
export interface SlowServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** Process id of the server's child process. */
  readonly pid: number;
  /** Every finished request since start or the last reset, in finishing order. */
  requests(): Promise<SlowServerRecord[]>;
  /** Forgets the records and counters (requests still in flight are recorded when they finish). */
  reset(): Promise<void>;
  /** The live counters: busy slots, queue length, maxima, outcomes. */
  stats(): Promise<SlowServerStats>;
  /** Stops the server and waits for its process to exit. Safe to call again. */
  close(): Promise<void>;
}

/**
 * Starts the lecture's slow web API (`gunicorn -w 3` in front of an app that
 * sleeps 1 s) in its own child process, so a cell that blocks the notebook's
 * event loop does not stall it. At most `workers` requests are served at
 * once, each for `delayMs`; the others wait in a FIFO queue. Every request is
 * recorded on the shared clock (arrival, start, end, worker, queue wait) and
 * responses carry `x-queue-wait-ms` and `x-worker` headers.
 *
 * Routes: `/` (the lecture's text), `/delay/:ms` (≤ 60000), `/status/:code`
 * (200..599), `/json`, `/image/:size.png` and `/image/:size.jpeg`
 * (deterministic, side ≤ 2048), `/stats` (answered at once). Query strings are
 * ignored, so `/?i=3` can tell requests apart. Bad parameters get 400, unknown
 * routes 404, a full queue 503.
 *
 * The child exits when `close()` is called, and on its own when this process
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
  const port = await waitForListening(child, config);
  return new ChildSlowServer(child, config.host, port, options.onRequest);
}

function checkOptions(options: SlowServerOptions): SlowServerConfig {
  const { workers = 3, delayMs = 1000, port = 0, host = "127.0.0.1", queueLimit = 1000 } = options;
  const integer = (name: string, value: number, min: number, max: number) => {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw new TypeError(`${name} must be an integer, got ${String(value)}`);
    }
    if (value < min || value > max) throw new RangeError(`${name} must be from ${min} to ${max}, got ${value}`);
  };
  integer("workers", workers, 1, 1000);
  integer("delayMs", delayMs, 0, SLOW_SERVER_MAX_DELAY_MS);
  integer("port", port, 0, 65535);
  integer("queueLimit", queueLimit, 0, 1_000_000);
  if (typeof host !== "string" || host === "") throw new TypeError(`host must be a non-empty string, got ${String(host)}`);
  if (options.onRequest !== undefined && typeof options.onRequest !== "function") {
    throw new TypeError("onRequest must be a function");
  }
  return { workers, delayMs, port, host, queueLimit, streamRecords: options.onRequest !== undefined };
}

function waitForListening(child: ChildProcess, config: SlowServerConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: ChildMessage) => {
      if (msg.type === "listening") {
        cleanup();
        resolve(msg.port);
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
  readonly pid: number;
  #child: ChildProcess;
  #nextId = 1;
  #waiting = new Map<number, { resolve: (data: unknown) => void; reject: (err: Error) => void }>();
  #closed: Promise<void> | undefined;
  /** Settles when the child process has exited. */
  #gone: Promise<void>;

  constructor(
    child: ChildProcess,
    host: string,
    readonly port: number,
    onRequest: ((record: SlowServerRecord) => void) | undefined,
  ) {
    this.#child = child;
    this.pid = child.pid!;
    this.#gone = new Promise((resolve) => child.once("exit", () => resolve()));
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
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
