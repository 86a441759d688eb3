import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as path from "node:path";
import type { QueueWorkerOptions } from "./run-queue-worker";
import type { RedisServer } from "./redis-server";
import { forkTiedToParent } from "../lifecycle/parent-death";

/** Options of {@link startQueueWorkers}: how many processes, and each one's {@link QueueWorkerOptions}. */
export interface StartQueueWorkersOptions extends Omit<QueueWorkerOptions, "redis"> {
  /** The Redis server (or its URL) the workers connect to over TCP. */
  redis: RedisServer | string;
  /** How many worker processes. Default 1. */
  count?: number;
  /** Start a new worker when one dies (the pools do the same). Default false. */
  respawn?: boolean;
}

/** Worker processes started by {@link startQueueWorkers}. */
export interface QueueWorkers {
  /** The live workers' lanes, "pid N", as their spans show them. */
  readonly lanes: string[];
  /** The live workers' process ids. */
  readonly pids: number[];
  /** Workers that died without being asked to (a crash or a kill), with how they ended. */
  readonly deaths: { lane: string; code: number | null; signal: string | null }[];
  /** Starts `n` more workers with the same options. */
  add(n?: number): Promise<void>;
  /** Sends `signal` (default SIGKILL) to the worker with this lane ("pid N") or pid. */
  kill(worker: string | number, signal?: NodeJS.Signals): void;
  /** Stops every worker: each finishes its running jobs (at most 5 s), then exits. Safe to call again. */
  close(): Promise<void>;
  /** Kills every worker at once (SIGKILL): their running jobs stall and run again elsewhere. */
  terminate(): Promise<void>;
}

interface Child {
  process: ChildProcess;
  lane: string;
  stopping: boolean;
  stderr: string;
}

/** The command-line flags that give a worker these options. @internal */
export function workerArgs(url: string, options: Omit<QueueWorkerOptions, "redis">): string[] {
  const args = ["--redis", url];
  if (options.queue !== undefined) args.push("--queue", options.queue);
  if (options.concurrency !== undefined) args.push("--concurrency", String(options.concurrency));
  for (const file of options.taskModules ?? []) args.push("--tasks", path.resolve(file));
  if (options.allowSource) args.push("--allow-source");
  if (options.lockDurationMs !== undefined) args.push("--lock-ms", String(options.lockDurationMs));
  if (options.stalledIntervalMs !== undefined) args.push("--stalled-ms", String(options.stalledIntervalMs));
  if (options.maxStalledCount !== undefined) args.push("--max-stalled", String(options.maxStalledCount));
  if (options.limiter !== undefined) args.push("--limit", `${options.limiter.max}/${options.limiter.durationMs}`);
  return args;
}

/**
 * Starts `count` queue worker processes on this machine. Each is the same
 * program as `npm run queue-worker` (lib/dist/cli/queue-worker.js): a separate
 * Node process that connects to Redis over TCP, exactly as a worker on another
 * machine would. They exit when `close()` is called and by themselves when this
 * process exits or dies (their IPC channel closes), e.g. on a kernel restart.
 * They run in a process group of their own, so a SIGINT to this process's
 * group (Jupyter's "Interrupt", Ctrl-C) does not stop them: use `close()`,
 * `terminate()` or `kill(lane)`.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * const workers = await startQueueWorkers({ redis, queue: "demo", count: 2 });
 * workers.lanes;            // ["pid 4242", "pid 4243"]
 * workers.kill(workers.lanes[0]); // SIGKILL: its job is run again after the lock expires
 * await workers.close();
 * ```
 */
export async function startQueueWorkers(options: StartQueueWorkersOptions): Promise<QueueWorkers> {
  const { redis, count = 1, respawn = false, ...workerOptions } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be an integer >= 0, got ${count}`);
  const url = typeof redis === "string" ? redis : redis.url;
  const args = workerArgs(url, workerOptions);
  const children = new Set<Child>();
  const deaths: QueueWorkers["deaths"] = [];
  let closed = false;
  const entry = path.join(__dirname, "..", "cli", "queue-worker.js");

  const spawnOne = (): Promise<void> => {
    // Tied to this process: on Linux a worker gets SIGKILL the moment the kernel dies, even mid-task.
    // In a process group of its own, as a worker on another machine would be: interrupting the
    // kernel (SIGINT to its group) stops the cell, not the workers.
    const proc = fork(entry, args, {
      stdio: ["ignore", "ignore", "pipe", "ipc"], ...forkTiedToParent("SIGKILL"), detached: true, serialization: "json",
    });
    const child: Child = { process: proc, lane: `pid ${proc.pid}`, stopping: false, stderr: "" };
    children.add(child);
    proc.stderr?.on("data", (d: Buffer) => {
      child.stderr = (child.stderr + d.toString()).slice(-2000);
    });
    proc.on("error", () => {}); // a failed spawn also ends in "exit"
    proc.once("exit", (code, signal) => {
      children.delete(child);
      if (child.stopping || closed) return;
      deaths.push({ lane: child.lane, code, signal });
      if (respawn) spawnOne().catch(() => {});
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`queue worker ${child.lane} did not connect to ${url} within 20 s: ${child.stderr.trim().slice(-500)}`));
      }, 20_000);
      proc.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      proc.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`queue worker ${child.lane} exited before it was ready (code ${code}, signal ${signal}): ${child.stderr.trim().slice(-500)}`));
      });
    });
  };

  const add = async (n = 1) => {
    if (closed) throw new Error("these queue workers were closed");
    await Promise.all(Array.from({ length: n }, spawnOne));
  };
  let closing: Promise<void> | undefined;
  const workers: QueueWorkers = {
    get lanes() {
      return [...children].map((c) => c.lane);
    },
    get pids() {
      return [...children].map((c) => c.process.pid!);
    },
    deaths,
    add,
    kill(worker, signal = "SIGKILL") {
      const lane = typeof worker === "number" ? `pid ${worker}` : worker;
      const child = [...children].find((c) => c.lane === lane);
      if (child === undefined) throw new Error(`no live queue worker ${lane}; live: ${workers.lanes.join(", ") || "none"}`);
      child.process.kill(signal);
    },
    terminate() {
      closed = true;
      for (const child of children) child.process.kill("SIGKILL");
      return workers.close();
    },
    close() {
      closed = true;
      closing ??= Promise.all(
        [...children].map(async (child) => {
          child.stopping = true;
          const exited = child.process.exitCode !== null || child.process.signalCode !== null ? Promise.resolve() : once(child.process, "exit");
          const killer = setTimeout(() => child.process.kill("SIGKILL"), 5000);
          if (child.process.connected) child.process.disconnect(); // the worker finishes its jobs and exits
          await exited;
          clearTimeout(killer);
        }),
      ).then(() => undefined);
      return closing;
    },
  };
  try {
    await add(count);
  } catch (error) {
    await workers.close();
    throw error;
  }
  return workers;
}
