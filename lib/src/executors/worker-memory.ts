/**
 * The memory a worker holds, measured alike for threads and processes: PSS
 * (`processMemory`) where the OS offers it, RSS named as such elsewhere.
 */
import { processMemory } from "../measure/process-memory";
import { startEchoPeer } from "./echo-peer";
import { ThreadPoolExecutor } from "./thread-pool";
import { ProcessPoolExecutor } from "./process-pool";
import { tasks } from "./tasks";

/** One row of {@link measureWorkerMemory}. */
export interface WorkerMemoryRow {
  worker: "bare worker thread" | "pool worker thread" | "bare child process" | "pool child process";
  /** Memory per worker, in MiB. */
  mib: number;
  /** "PSS" or "RSS": what was read. */
  measure: "PSS" | "RSS";
  /** How the figure was obtained. */
  how: string;
}

const MiB = 2 ** 20;

/**
 * Memory per worker of the four kinds a notebook compares. A thread lives in
 * this process, so its figure is the growth of this process's memory while
 * `threads` of them run, divided by `threads` (a difference of two readings
 * of a busy process: a size, not an exact count). A process's figure is its
 * own memory. Everything started here is closed before it returns.
 *
 * @example
 * ```ts
 * import { measureWorkerMemory, showTable } from "concurrency-lab";
 * showTable(await measureWorkerMemory({ threads: 4 }));
 * // bare worker thread ~ a few MiB, bare child process ~ tens of MiB (PSS on Linux)
 * ```
 */
export async function measureWorkerMemory(opts: { threads?: number } = {}): Promise<WorkerMemoryRow[]> {
  const threads = opts.threads ?? 4;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError(`measureWorkerMemory: threads must be an integer from 1 to 64, got ${String(threads)}`);
  }
  const self = () => processMemory(process.pid);
  const rows: WorkerMemoryRow[] = [];
  const growth = async (worker: WorkerMemoryRow["worker"], start: () => Promise<() => Promise<unknown>>) => {
    const before = self();
    const stop = await start();
    const after = self();
    await stop();
    rows.push({ worker, mib: (after.bytes - before.bytes) / threads / MiB, measure: after.measure,
      how: `growth of this process with ${threads} running, / ${threads}` });
  };
  await growth("bare worker thread", async () => {
    const peers = await Promise.all(Array.from({ length: threads }, () => startEchoPeer("thread")));
    return () => Promise.all(peers.map((p) => p.close()));
  });
  await growth("pool worker thread", async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: threads });
    await Promise.all(Array.from({ length: threads }, () => pool.submit(tasks.blockingSleep, 30)));
    return () => pool.shutdown();
  });
  const child = await startEchoPeer("process");
  try {
    const m = processMemory(child.pid!);
    rows.push({ worker: "bare child process", mib: m.bytes / MiB, measure: m.measure, how: "the child's own" });
  } finally {
    await child.close();
  }
  const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
  try {
    await pool.submit(tasks.echo, 1);
    const m = processMemory(Number(pool.lanes[0]!.replace("pid ", "")));
    rows.push({ worker: "pool child process", mib: m.bytes / MiB, measure: m.measure, how: "the child's own" });
  } finally {
    await pool.shutdown();
  }
  return rows;
}
