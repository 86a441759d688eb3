/**
 * libuv's thread pool: the threads Node uses behind some of its async APIs.
 * Network I/O waits on the event loop without threads; file-system calls,
 * `dns.lookup` (and so a request to a host *name*), most of `crypto` and
 * `zlib` run on a small pool of threads (4 by default, `UV_THREADPOOL_SIZE`).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

/** What {@link libuvPoolDemo} measured in its child process. */
export interface LibuvPoolReport {
  /** The child's Node version. */
  node: string;
  /** The pool size the child ran with (`UV_THREADPOOL_SIZE`). */
  poolSize: number;
  /** Threads of the child process (Linux `/proc/self/task`; null elsewhere). */
  threads: {
    atStart: number | null;
    /** After a server, a TCP connection, a request and its response. */
    afterNetwork: number | null;
    /** After one `fs.promises.stat`. */
    afterFs: number | null;
  };
  /** The crypto jobs (`crypto.pbkdf2`) that filled the pool: one per pool thread. */
  crypto: { jobs: number; iterations: number; jobMs: number; endsMs: number[] };
  /** Calls started just after the crypto jobs: when each finished (ms after the start), and whether it needs a pool thread. */
  ops: { name: string; usesPool: boolean; endMs: number }[];
  totalMs: number;
}

/** Options of {@link libuvPoolDemo}. */
export interface LibuvPoolOptions {
  /** `UV_THREADPOOL_SIZE` for the child (default: not set, libuv's default of 4). */
  poolSize?: number;
  /** CPU time of one crypto job, in ms (default 150). */
  jobMs?: number;
  /** The Node binary (default: this one). */
  node?: string;
  /** Kill the child after this long (default 30,000 ms). */
  timeoutMs?: number;
}

/**
 * Runs a fresh Node process that shows libuv's thread pool: its thread count
 * before and after network and file-system calls, then one crypto job per
 * pool thread, with a file-system call, a `dns.lookup`, a gzip and two HTTP
 * requests (by IP and by host name) started right behind them. The calls that
 * need a pool thread finish only once a crypto job has freed one. Runs in a
 * child because the pool's size is fixed when it starts.
 *
 * @example
 * ```ts
 * import { libuvPoolDemo } from "concurrency-lab";
 * const r = await libuvPoolDemo({ jobMs: 100 });
 * console.log(r.threads, Math.min(...r.crypto.endsMs), r.ops);
 * ```
 */
export function libuvPoolDemo(opts: LibuvPoolOptions = {}): Promise<LibuvPoolReport> {
  const { poolSize, jobMs = 150, node = process.execPath, timeoutMs = 30_000 } = opts;
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1024)) {
    throw new RangeError(`libuvPoolDemo: poolSize must be an integer from 1 to 1024, got ${String(poolSize)}`);
  }
  if (!(jobMs > 0)) throw new RangeError(`libuvPoolDemo: jobMs must be > 0, got ${String(jobMs)}`);
  const env = { ...process.env };
  if (poolSize === undefined) delete env.UV_THREADPOOL_SIZE;
  else env.UV_THREADPOOL_SIZE = String(poolSize);
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(__dirname, "libuv-pool-child.js"), String(jobMs)], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
    child.stdin.on("error", () => undefined);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      child.stdin.destroy();
      if (code !== 0) {
        return reject(new Error(`libuvPoolDemo: the child exited with ${signal ?? `code ${code}`}: ${err.trim().slice(-500)}`));
      }
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as LibuvPoolReport);
      } catch {
        reject(new Error(`libuvPoolDemo: the child printed no JSON report: ${out.slice(-300)}`));
      }
    });
  });
}
