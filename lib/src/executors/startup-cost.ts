/**
 * Start-up, measured alike for a bare thread or process and for a pool: the
 * time from the call that creates it to its first answer. Each function
 * closes what it started and returns `{ wallMs }`, the shape of an
 * `experiment()` variant's report.
 */
import { now } from "../measure/clock";
import { startEchoPeer, type PeerKind } from "./echo-peer";
import type { Executor } from "./executor";
import { tasks } from "./tasks";

/**
 * Starts a bare worker thread or child process (Node alone, see
 * `startEchoPeer`), closes it, and returns its start-up: creation to first message.
 *
 * @example
 * ```ts
 * import { bareStart } from "concurrency-lab";
 * (await bareStart("thread")).wallMs; // tens of ms: a new V8 isolate
 * ```
 */
export async function bareStart(kind: PeerKind): Promise<{ wallMs: number }> {
  const peer = await startEchoPeer(kind);
  await peer.close();
  return { wallMs: peer.startMs };
}

/**
 * Creates a pool with `makePool`, times it from creation to the result of its
 * first task (`tasks.echo`), then shuts it down (not timed).
 *
 * @example
 * ```ts
 * import { poolFirstResult, ThreadPoolExecutor } from "concurrency-lab";
 * (await poolFirstResult(() => new ThreadPoolExecutor({ maxWorkers: 1 }))).wallMs;
 * ```
 */
export async function poolFirstResult(makePool: () => Executor): Promise<{ wallMs: number }> {
  const t0 = now();
  const pool = makePool();
  try {
    await pool.submit(tasks.echo, 1);
    return { wallMs: now() - t0 };
  } finally {
    await pool.shutdown();
  }
}

/** What {@link runOnFreshPool} measured. */
export interface FreshPoolRun {
  /** From creating the pool to the end of its shutdown, in ms: what `with Executor(...)` in Python times. */
  wallMs: number;
  /** For each task, from its submission to the moment it began to run in a worker, in ms. */
  startDelaysMs: number[];
}

/**
 * Creates a pool, submits one call of `task` per argument list, waits for all
 * of them, and shuts the pool down: Python's `with ThreadPoolExecutor(n) as
 * pool: list(pool.map(...))`, start-up and shutdown included. Also returns how
 * long each task waited before it began (on a fresh pool: for its worker to
 * start).
 *
 * @example
 * ```ts
 * import { runOnFreshPool, ThreadPoolExecutor, tasks } from "concurrency-lab";
 * const run = await runOnFreshPool(() => new ThreadPoolExecutor({ maxWorkers: 10 }),
 *   tasks.blockingSleep, Array.from({ length: 10 }, () => [100] as [number]));
 * console.log(run.wallMs, Math.max(...run.startDelaysMs));
 * ```
 */
export async function runOnFreshPool<A extends unknown[]>(
  makePool: () => Executor,
  task: import("./task").Task<A, unknown>,
  argsList: readonly A[],
): Promise<FreshPoolRun> {
  const t0 = now();
  const pool = makePool();
  try {
    const submitted = argsList.map((args) => ({ at: now(), future: pool.submit(task, ...args) }));
    await Promise.all(submitted.map((s) => s.future));
    const startDelaysMs = submitted.map((s) => (s.future.span ? s.future.span.start - s.at : 0));
    await pool.shutdown();
    return { wallMs: now() - t0, startDelaysMs };
  } finally {
    await pool.shutdown();
  }
}
