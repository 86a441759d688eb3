/**
 * What a worker costs before it does any work: the time from creating a pool
 * to its first result, and the memory each worker adds. Measured the same way
 * for threads and processes (PSS where the OS offers it), and beside them what
 * one pending async task costs.
 */
import { now } from "../measure/clock";
import { processMemory, processesMemory } from "../measure/process-memory";
import { sleep } from "../measure/timers";
import { tasks } from "./tasks";
import { ThreadPoolExecutor } from "./thread-pool";
import { ProcessPoolExecutor } from "./process-pool";

/** What {@link workerCosts} measured for one kind of pool. */
export interface WorkerCosts {
  kind: "thread" | "process";
  workers: number;
  /** From `new …PoolExecutor()` to the first task's result (one worker started), in ms. */
  startupMs: number;
  /** Memory per worker, in MiB: for threads this process's growth / workers; for processes each child's own. */
  mbPerWorker: number;
  /** "PSS" where the OS offers it (shared pages split between sharers), else "RSS". */
  measure: "PSS" | "RSS";
}

/**
 * Starts a pool of `workers` threads or processes, times the first result of
 * an empty task, makes every worker start (each blocks 50 ms at once), reads
 * the memory, and shuts the pool down. Threads live inside this process, so
 * their memory is this process's growth divided by `workers` (rough: the heap
 * grows for other reasons too); a child process's memory is its own, and PSS
 * counts the pages it shares with its siblings only in part.
 *
 * @example
 * ```ts
 * import { workerCosts } from "concurrency-lab";
 * const t = await workerCosts("thread");
 * console.log(`${t.startupMs.toFixed(0)} ms to the first result, ${t.mbPerWorker} MiB ${t.measure} per thread`);
 * ```
 */
export async function workerCosts(kind: "thread" | "process", workers = 2): Promise<WorkerCosts> {
  if (kind !== "thread" && kind !== "process") throw new TypeError(`kind must be "thread" or "process", got ${String(kind)}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new RangeError(`workers must be 1..16, got ${workers}`);
  const before = processMemory(process.pid);
  const t0 = now();
  const pool = kind === "thread" ? new ThreadPoolExecutor({ maxWorkers: workers }) : new ProcessPoolExecutor({ maxWorkers: workers });
  try {
    await pool.submit(tasks.echo, 1);
    const startupMs = now() - t0;
    await Promise.all(Array.from({ length: workers }, () => pool.submit(tasks.blockingSleep, 50)));
    if (kind === "thread") {
      const after = processMemory(process.pid);
      const mb = Math.max(0, after.bytes - before.bytes) / workers / 2 ** 20;
      return { kind, workers, startupMs, mbPerWorker: Math.round(mb * 10) / 10, measure: after.measure };
    }
    const pids = pool.lanes.map((lane) => Number(lane.replace(/^pid /, ""))).filter((pid) => pid > 0);
    const children = processesMemory(pids);
    const mb = children.processes.length ? children.bytes / children.processes.length / 2 ** 20 : 0;
    return { kind, workers, startupMs, mbPerWorker: Math.round(mb * 10) / 10, measure: children.measure };
  } finally {
    await pool.shutdown();
  }
}

/** What {@link asyncTaskCosts} measured. */
export interface AsyncTaskCosts {
  count: number;
  /** Time to create one pending task (an async function call awaiting a timer), in µs. */
  startupUs: number;
  /** V8 heap growth per pending task, in bytes (rough: the heap also grows for other reasons). */
  bytesPerTask: number;
}

/**
 * Creates `count` async tasks that each await a 50 ms timer, and measures the
 * time to create them and the heap they hold while pending, per task.
 *
 * @example
 * ```ts
 * import { asyncTaskCosts } from "concurrency-lab";
 * const a = await asyncTaskCosts();
 * console.log(`${a.startupUs.toFixed(1)} µs and ${a.bytesPerTask.toFixed(0)} bytes per pending task`);
 * ```
 */
export async function asyncTaskCosts(count = 10_000): Promise<AsyncTaskCosts> {
  if (!Number.isInteger(count) || count < 100 || count > 1_000_000) throw new RangeError(`count must be 100..1000000, got ${count}`);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = now();
  const pending = Array.from({ length: count }, async () => {
    await sleep(50);
  });
  const elapsed = now() - t0;
  const bytesPerTask = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / count;
  await Promise.all(pending);
  return { count, startupUs: (elapsed * 1000) / count, bytesPerTask };
}
