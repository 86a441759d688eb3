import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { WatchdogConfig, WatchdogMessage } from "./redis-watchdog";
import { forkTiedToParent } from "../lifecycle/parent-death";

/** How to get redis-server, for messages and the notebook's "how to get it" cell. */
export const REDIS_INSTALL_HINT =
  "Debian/Ubuntu: `sudo apt-get install redis-server`; conda (conda-forge): " +
  "`conda install -c conda-forge redis-server`; or a container: `docker run -d -p 6379:6379 redis:7` " +
  "and then set REDIS_URL=redis://127.0.0.1:6379 before starting Jupyter";

/**
 * redis-server was not found. Its message names where the lib looked and how
 * to install it (Debian, conda-forge, a container with `REDIS_URL`).
 *
 * @example
 * ```ts
 * try { await startRedis(); } catch (e) { if (e instanceof RedisNotFoundError) console.log(e.message); }
 * ```
 */
export class RedisNotFoundError extends Error {
  override readonly name = "RedisNotFoundError";
}

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /**
   * Keep the data on disk (append-only file, fsync on every write), so jobs
   * survive {@link RedisServer.restart}. `true` uses a new temporary folder;
   * a string names the folder. Default false: `--save "" --appendonly no`,
   * nothing is written to disk.
   */
  persistence?: boolean | string;
  /** TCP port on 127.0.0.1; default a free one. */
  port?: number;
  /**
   * Use this Redis instead of starting one (e.g. `redis://10.0.0.5:6379`).
   * Default: `process.env.REDIS_URL` when set and no persistence is asked for.
   * Pass `null` to always start a private server.
   */
  url?: string | null;
  /** Path of the redis-server program; default {@link findRedisServer}'s answer. */
  server?: string;
}

/** A Redis server the notebook uses, see {@link startRedis}. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT` (or the given URL). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** True when it is an outside Redis (`REDIS_URL`): then close() leaves it running. */
  readonly external: boolean;
  /** The folder holding its data when persistence is on. */
  readonly dataDir: string | undefined;
  /** redis-server's process id (undefined for an outside Redis); changes on restart. */
  readonly pid: number | undefined;
  /** redis-server's version, e.g. "7.0.15" (undefined for an outside Redis). */
  readonly version: string | undefined;
  /**
   * Stops redis-server and starts it again on the same port and data folder.
   * `hard: true` kills it with SIGKILL (a crash) instead of a clean shutdown.
   * Without persistence every key is gone afterwards. Not for an outside Redis.
   */
  restart(options?: { hard?: boolean }): Promise<void>;
  /** Stops redis-server (and deletes a temporary data folder). Safe to call again. */
  close(): Promise<void>;
}

/**
 * Where redis-server is: `$REDIS_SERVER` when set (and only there), else `PATH`,
 * then the usual places (conda's `$CONDA_PREFIX/bin`, /usr/bin, /usr/local/bin,
 * Homebrew). Null when absent.
 *
 * @example
 * ```ts
 * findRedisServer(); // "/usr/bin/redis-server" or null
 * ```
 */
export function findRedisServer(): string | null {
  // An explicit choice is final: REDIS_SERVER=/nonexistent shows what a machine without Redis sees.
  if (process.env.REDIS_SERVER) return runnableRedis(process.env.REDIS_SERVER);
  const candidates = ["redis-server"];
  if (process.env.CONDA_PREFIX) candidates.push(path.join(process.env.CONDA_PREFIX, "bin", "redis-server"));
  candidates.push("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server");
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (candidate.includes("/") && !existsSync(candidate)) continue;
    if (runnableRedis(candidate) !== null) return candidate;
  }
  return null;
}

/**
 * Whether the queue notebook can run here: an outside Redis in `REDIS_URL`, or
 * a redis-server to start. `fix` says how to get one when `ok` is false.
 *
 * @example
 * ```ts
 * const r = redisAvailable();
 * if (!r.ok) console.log(`No Redis: ${r.fix}`);
 * ```
 */
export function redisAvailable(): { ok: boolean; how: string; fix: string } {
  if (process.env.REDIS_URL) return { ok: true, how: `REDIS_URL=${process.env.REDIS_URL}`, fix: "" };
  const server = findRedisServer();
  if (server !== null) return { ok: true, how: `${server} (${redisServerVersion(server)})`, fix: "" };
  return { ok: false, how: "no redis-server found and REDIS_URL is not set", fix: REDIS_INSTALL_HINT };
}

function runnableRedis(candidate: string): string | null {
  const r = spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 && /Redis server/.test(r.stdout) ? candidate : null;
}

function redisServerVersion(server: string): string {
  const r = spawnSync(server, ["--version"], { encoding: "utf8" });
  return /v=(\S+)/.exec(r.stdout)?.[1] ?? "unknown version";
}

/**
 * Gives the notebook a Redis: a private `redis-server` on a free port of
 * 127.0.0.1, or the one in `REDIS_URL` when that is set.
 *
 * The private server keeps nothing on disk unless `persistence` is asked for
 * (`--save "" --appendonly no`). It is started through a small Node watchdog
 * process (redis-watchdog.ts), because redis-server cannot notice its parent's
 * death: when the notebook's kernel exits or is killed, even with SIGKILL, the
 * watchdog stops redis-server. Both run in a process group of their own, so
 * interrupting the kernel (Jupyter sends SIGINT to the kernel's whole group)
 * interrupts the cell, not the broker. A missing redis-server throws
 * {@link RedisNotFoundError}, which says how to install it.
 *
 * @example
 * ```ts
 * import { startRedis } from "concurrency-lab";
 * const redis = await startRedis();                         // redis://127.0.0.1:40123
 * const durable = await startRedis({ persistence: true });  // survives durable.restart()
 * await redis.close();
 * ```
 */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const { persistence = false, port } = options;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new RangeError(`port must be an integer from 1 to 65535, got ${String(port)}`);
  }
  const url = options.url === undefined ? (persistence ? undefined : process.env.REDIS_URL) : options.url ?? undefined;
  if (url) return externalRedis(url);
  const server = options.server !== undefined ? runnableRedis(options.server) : findRedisServer();
  if (server === null) {
    throw new RedisNotFoundError(
      `redis-server not found (looked at $REDIS_SERVER, PATH, $CONDA_PREFIX/bin, /usr/bin, /usr/local/bin). Install it: ${REDIS_INSTALL_HINT}`,
    );
  }
  const ownDir = persistence === true || persistence === false;
  const dataDir = typeof persistence === "string" ? path.resolve(persistence) : mkdtempSync(path.join(os.tmpdir(), "cl-redis-"));
  const redis = new PrivateRedis(server, redisServerVersion(server), dataDir, persistence !== false, ownDir);
  try {
    await redis.start(port);
  } catch (error) {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return redis;
}

function externalRedis(url: string): RedisServer {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(`REDIS_URL must look like redis://host:port, got ${url}`);
  }
  return {
    url,
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    external: true,
    dataDir: undefined,
    pid: undefined,
    version: undefined,
    restart: () => Promise.reject(new Error(`cannot restart an outside Redis (${url}); restart it yourself`)),
    close: () => Promise.resolve(),
  };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; redis-server then binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

class PrivateRedis implements RedisServer {
  readonly host = "127.0.0.1";
  readonly external = false;
  port = 0;
  pid: number | undefined;
  #watchdog: ChildProcess | undefined;
  #gone: Promise<void> = Promise.resolve();
  #closed: Promise<void> | undefined;

  constructor(
    readonly server: string,
    readonly version: string,
    readonly dir: string,
    readonly persistent: boolean,
    readonly ownDir: boolean,
  ) {}

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get dataDir(): string | undefined {
    return this.persistent ? this.dir : undefined;
  }

  /** Starts redis-server through its watchdog; retries on a port taken in the meantime. */
  async start(port: number | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const chosen = port ?? (await freePort());
      try {
        await this.#launch(chosen);
        this.port = chosen;
        return;
      } catch (error) {
        const taken = /Address already in use/i.test((error as Error).message);
        if (!taken || port !== undefined || attempt >= 3) throw error;
      }
    }
  }

  #launch(port: number): Promise<void> {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", this.dir, "--daemonize", "no", "--logfile", ""];
    args.push("--save", "", "--appendonly", this.persistent ? "yes" : "no");
    if (this.persistent) args.push("--appendfsync", "always");
    const config: WatchdogConfig = { server: this.server, args };
    const watchdog = fork(path.join(__dirname, "redis-watchdog.js"), [JSON.stringify(config)], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      ...forkTiedToParent("SIGTERM"), // the watchdog then stops redis-server
      // A process group of its own: Jupyter's "Interrupt" (SIGINT to the kernel's group) and a
      // terminal's Ctrl-C must not stop the broker. It still ends with this process (IPC, pdeathsig).
      detached: true,
      serialization: "json",
    });
    this.#watchdog = watchdog;
    this.#gone = new Promise((resolve) => watchdog.once("exit", () => resolve()));
    return new Promise((resolve, reject) => {
      const onMessage = (message: WatchdogMessage) => {
        if (message.type === "ready") {
          this.pid = message.pid;
          watchdog.off("exit", onExit);
          // A running watchdog must not keep a plain script alive (its IPC channel is what it watches).
          watchdog.unref();
          watchdog.channel?.unref();
          resolve();
        } else if (message.type === "failed") {
          watchdog.off("exit", onExit);
          reject(new Error(`${message.message}\n${message.log.trim().split("\n").slice(-5).join("\n")}`));
        } else {
          this.pid = undefined;
        }
      };
      const onExit = (code: number | null) => reject(new Error(`redis watchdog exited early (code ${code})`));
      watchdog.on("message", onMessage);
      watchdog.once("exit", onExit);
    });
  }

  async #stop(hard: boolean): Promise<void> {
    const watchdog = this.#watchdog;
    if (watchdog === undefined) return;
    if (hard && this.pid !== undefined) {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    if (watchdog.connected) watchdog.disconnect();
    const killer = setTimeout(() => watchdog.kill("SIGKILL"), 6000);
    await this.#gone;
    clearTimeout(killer);
    this.pid = undefined;
  }

  async restart(options: { hard?: boolean } = {}): Promise<void> {
    if (this.#closed !== undefined) throw new Error("this Redis was closed");
    await this.#stop(options.hard === true);
    await this.#launch(this.port);
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#stop(false);
      if (this.ownDir) rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.#closed;
  }
}
