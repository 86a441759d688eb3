import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker, type Job } from "bullmq";
import { now } from "../measure/clock";
import { runTaskCall } from "../executors/task-runner";
import { serializeError } from "../executors/remote-error";
import { tasks } from "../executors/tasks";
import type { TaskCall } from "../executors/task";
import { findNonJson, type QueueJobData, type QueueProgress, type QueueReply } from "./queue-job";
import { queueTasks, withJobContext } from "./queue-tasks";
import { connectionFor } from "./connection";

/** Options of {@link runQueueWorker} (and of `npm run queue-worker`). */
export interface QueueWorkerOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** The queue's name. Default "concurrency-lab". */
  queue?: string;
  /**
   * Jobs in flight at once in this process (BullMQ's `concurrency`). They
   * share one event loop: above 1 it helps tasks that wait (I/O), not CPU work.
   * For more CPU, start more worker processes. Default 1.
   */
  concurrency?: number;
  /** Extra modules whose exported functions this worker runs, by export name (Celery's `include`). */
  taskModules?: string[];
  /**
   * Run `defineTask` functions, which travel as source text. Default false:
   * anyone who can write to the queue could then run any code here.
   */
  allowSource?: boolean;
  /** How long a job's lock lasts without renewal before the job counts as stalled (ms). BullMQ's default 30000. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (ms). BullMQ's default 30000. */
  stalledIntervalMs?: number;
  /** How often a job may stall before it fails instead of being run again. BullMQ's default 1. */
  maxStalledCount?: number;
  /** At most `max` jobs start per `durationMs`, across all workers of the queue (BullMQ's limiter). */
  limiter?: { max: number; durationMs: number };
}

/** A running queue worker, see {@link runQueueWorker}. */
export interface QueueWorkerHandle {
  /** "pid N": the lane its spans carry. */
  readonly lane: string;
  /** Stops taking jobs, lets running ones finish, disconnects. */
  close(): Promise<void>;
}

type AnyTask = { module: string; name: string };

/** The tasks every worker knows by name: the lib's `tasks` and `queueTasks`. */
function builtinRegistry(): Map<string, AnyTask> {
  const registry = new Map<string, AnyTask>();
  for (const task of [...Object.values(tasks), ...Object.values(queueTasks)]) registry.set(task.name, task);
  return registry;
}

function registerModule(registry: Map<string, AnyTask>, file: string): void {
  const module = path.resolve(file);
  const exports = require(module) as Record<string, unknown>;
  const names = Object.keys(exports).filter((k) => typeof exports[k] === "function");
  if (names.length === 0) throw new TypeError(`${file} exports no functions to register as tasks`);
  for (const name of names) registry.set(name, { module, name });
}

/**
 * Runs a BullMQ worker for the {@link QueueExecutor}'s jobs in this process:
 * it takes jobs from Redis over TCP, runs each job's task by name (Celery
 * style: the lib's `tasks` and `queueTasks`, modules given in `taskModules`,
 * or the producer's module path when it exists on this machine) and sends the
 * result back through Redis. `npm run queue-worker` and
 * {@link startQueueWorkers} both run this.
 *
 * Delivery is at least once: if this process dies mid-job, its lock expires
 * and another worker runs the job again. Tasks should therefore be idempotent.
 * A task that blocks the event loop longer than `lockDurationMs` cannot renew
 * its lock and is run a second time while still running: keep blocking tasks
 * shorter than the lock.
 *
 * @example
 * ```ts
 * const worker = await runQueueWorker({ redis: "redis://127.0.0.1:6379", concurrency: 1 });
 * // ... later
 * await worker.close();
 * ```
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const { redis, queue = "concurrency-lab", concurrency = 1, allowSource = false } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  const registry = builtinRegistry();
  for (const file of options.taskModules ?? []) registerModule(registry, file);
  const lane = `pid ${process.pid}`;
  const host = os.hostname();

  const toCall = (data: QueueJobData): TaskCall => {
    if (data.source !== undefined) {
      if (!allowSource) {
        throw new Error(
          `${data.task} is a defineTask function (source text) and this worker (${host} ${lane}) does not run shipped source: ` +
            "start it with --allow-source (only on a private Redis), or put the task in a module and register it with --tasks",
        );
      }
      return { module: data.module, name: data.task, source: data.source, argsList: data.args };
    }
    if (existsSync(data.module)) return { module: data.module, name: data.task, argsList: data.args };
    const registered = registry.get(data.task);
    if (registered === undefined) {
      throw new Error(
        `task ${data.task} is not registered on this worker (${host} ${lane}) and ${data.module} does not exist here: ` +
          "start the worker with --tasks path/to/module.js",
      );
    }
    return { module: registered.module, name: registered.name, argsList: data.args };
  };

  const processor = async (job: Job): Promise<QueueReply> => {
    const data = job.data as QueueJobData;
    const attempt = job.attemptsStarted;
    if (data.announce) {
      const start: QueueProgress = { kind: "start", attempt, lane, host, start: now(), wallStart: Date.now() };
      await job.updateProgress(start);
    }
    const context = { id: String(job.id), queue, attempt, failedBefore: job.attemptsMade };
    const reply = await withJobContext(context, async () => {
      try {
        return await runTaskCall(toCall(data));
      } catch (error) {
        const t = now();
        return { ok: false as const, error: serializeError(error), span: { label: data.task, lane, start: t, end: t, kind: "running" } };
      }
    });
    reply.span.lane = lane;
    const wallOffset = Date.now() - now();
    if (reply.ok) {
      const undefinedAt = reply.values.flatMap((v, i) => (v === undefined ? [i] : []));
      const values = reply.values.map((v) => (v === undefined ? null : v));
      const bad = findNonJson(values, "results");
      if (bad === undefined) {
        return { values, span: reply.span, host, wallOffset, ...(undefinedAt.length > 0 ? { undefinedAt } : {}) };
      }
      const which = data.args.length === 1 ? bad.path.replace(/^results\[0\]/, "the result") : bad.path;
      const error = new TypeError(`${data.task} returned a value that cannot be sent back from ${lane}: ${which} ${bad.reason}`);
      return fail(job, attempt, { ok: false, error: serializeError(error), span: reply.span }, host, wallOffset);
    }
    return fail(job, attempt, reply, host, wallOffset);
  };

  const worker = new Worker(queue, processor, {
    connection: connectionFor(redis),
    concurrency,
    name: `${host} ${lane}`,
    ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs !== undefined ? { stalledInterval: options.stalledIntervalMs } : {}),
    ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
    ...(options.limiter !== undefined ? { limiter: { max: options.limiter.max, duration: options.limiter.durationMs } } : {}),
  });
  // Connection trouble is retried by the client; report it without crashing the worker.
  worker.on("error", (error) => console.error(`queue worker ${lane}: ${error.message}`));
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    lane,
    close: () => (closing ??= worker.close()),
  };
}

/** Sends the failed attempt's details (class, message, stack, props, span) as a progress event, then fails the job. */
async function fail(
  job: Job,
  attempt: number,
  reply: { ok: false; error: ReturnType<typeof serializeError>; span: QueueReply["span"] },
  host: string,
  wallOffset: number,
): Promise<never> {
  const progress: QueueProgress = { kind: "error", attempt, error: reply.error, span: reply.span, host, wallOffset };
  await job.updateProgress(progress);
  const error = new Error(reply.error.message);
  error.name = reply.error.name;
  if (reply.error.stack !== undefined) error.stack = reply.error.stack;
  throw error;
}
