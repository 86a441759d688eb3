/**
 * libuv's thread pool, seen from JavaScript: Node runs `crypto.pbkdf2`,
 * `fs` calls, `zlib` and DNS lookups on a small pool of C++ threads, 4 by
 * default, sized once per process by the `UV_THREADPOOL_SIZE` environment
 * variable before the pool is first used. A batch therefore runs in a fresh
 * child process started with the size asked for.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import type { Span } from "../measure/timeline";

/** Options of {@link libuvHashBatch}. */
export interface LibuvHashBatchOptions {
  /** How many `crypto.pbkdf2` calls to start at once. */
  hashes: number;
  /** PBKDF2 iterations of each call (its CPU time). */
  iterations: number;
  /** UV_THREADPOOL_SIZE of the child process; undefined = libuv's default (4). */
  poolSize?: number;
}

/** What {@link libuvHashBatch} measured in the child. */
export interface LibuvHashBatch {
  /** The pool size the child ran with, as set ("4 (default)" when not set). */
  poolSize: string;
  /** One span per call, from the call to its callback, on the shared clock (`now()`), lane "hash i". */
  spans: Span[];
  /** From the first call to the last callback, in ms (the child's start-up excluded). */
  wallMs: number;
  /** CPU time of the child over the same stretch, all its threads, in ms. */
  cpuMs: number;
}

/**
 * Starts `hashes` calls of `crypto.pbkdf2` at once in a fresh Node child
 * process whose libuv pool has `poolSize` threads (UV_THREADPOOL_SIZE), and
 * returns when each call was made and when its callback ran. With more calls
 * than pool threads, the extra calls wait in libuv's queue until a thread is
 * free: their spans are longer by that wait.
 *
 * @example
 * ```ts
 * import { libuvHashBatch, Timeline, timelineChart, show } from "concurrency-lab";
 * const batch = await libuvHashBatch({ hashes: 8, iterations: 100_000 });         // 4 threads
 * const wide = await libuvHashBatch({ hashes: 8, iterations: 100_000, poolSize: 8 });
 * console.log(batch.wallMs, wide.wallMs);
 * await show(timelineChart(batch.spans));
 * ```
 */
export async function libuvHashBatch(opts: LibuvHashBatchOptions): Promise<LibuvHashBatch> {
  const { hashes, iterations, poolSize } = opts;
  if (!Number.isInteger(hashes) || hashes < 1) throw new RangeError(`libuvHashBatch: hashes must be an integer >= 1, got ${String(hashes)}`);
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`libuvHashBatch: iterations must be an integer >= 1, got ${String(iterations)}`);
  }
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1024)) {
    throw new RangeError(`libuvHashBatch: poolSize must be an integer from 1 to 1024 (libuv's limit), got ${String(poolSize)}`);
  }
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  if (poolSize !== undefined) env.UV_THREADPOOL_SIZE = String(poolSize);
  const child = fork(require.resolve("./libuv-queue-child"), [], { env, execArgv: [], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const exited = once(child, "exit");
  try {
    child.send({ hashes, iterations });
    const [reply] = (await Promise.race([
      once(child, "message"),
      exited.then(([code]) => Promise.reject(new Error(`libuvHashBatch: the child exited with code ${code} before it answered`))),
    ])) as [{ spans: { submitted: number; done: number }[]; wallMs: number; cpuMs: number } | { error: string }];
    if ("error" in reply) throw new Error(`libuvHashBatch: pbkdf2 failed in the child: ${reply.error}`);
    return {
      poolSize: poolSize === undefined ? "4 (default)" : String(poolSize),
      spans: reply.spans.map((s, i) => ({ label: `pbkdf2 #${i + 1}`, lane: `hash ${i + 1}`, start: s.submitted, end: s.done, kind: "running" })),
      wallMs: reply.wallMs,
      cpuMs: reply.cpuMs,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  }
}
