import { AsyncLocalStorage } from "node:async_hooks";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { blockingSleep } from "../measure/timers";
import { taskFrom } from "../executors/task";

/** What a queue task can know about the job it runs in, like Celery's `self.request`. */
export interface JobContext {
  /** BullMQ's job id. */
  id: string;
  /** The queue's name. */
  queue: string;
  /** Which execution this is: 1 for the first, 2 after a failure or a stall, ... */
  attempt: number;
  /** Failed attempts before this one (BullMQ's `attemptsMade`). */
  failedBefore: number;
}

const store = new AsyncLocalStorage<JobContext>();

/**
 * The job the current task runs in, inside a queue worker; undefined elsewhere
 * (in a pool, or in the notebook). Celery tasks read the same from `self.request`.
 *
 * @example
 * ```ts
 * export function report(x: number) { return { x, attempt: jobContext()?.attempt }; }
 * ```
 */
export function jobContext(): JobContext | undefined {
  return store.getStore();
}

/** Runs `fn` with `context` as the {@link jobContext}. @internal */
export function withJobContext<T>(context: JobContext, fn: () => Promise<T>): Promise<T> {
  return store.run(context, fn);
}

/**
 * A job with a side effect: appends `entry` as a line to `file` ("charge the
 * customer"), then works `workMs` (blocking). Run twice, it appends twice:
 * this is what at-least-once delivery does to a task that is not idempotent.
 * Returns the number of lines with `entry` after its append.
 *
 * @example
 * ```ts
 * await queue.submit(queueTasks.recordThenWork, "/tmp/orders.log", "order 1", 500); // 1
 * ```
 */
export function recordThenWork(file: string, entry: string, workMs: number): number {
  appendFileSync(file, `${entry}\n`);
  blockingSleep(workMs);
  return countLines(file, entry);
}

/**
 * The idempotent version of {@link recordThenWork}: appends `entry` only if
 * the file does not hold it yet, so a second execution changes nothing.
 * (A real system would use a unique key in its database for the same effect.)
 *
 * @example
 * ```ts
 * await queue.submit(queueTasks.recordOnce, "/tmp/orders.log", "order 1", 500); // 1, however often it runs
 * ```
 */
export function recordOnce(file: string, entry: string, workMs: number): number {
  if (countLines(file, entry) === 0) appendFileSync(file, `${entry}\n`);
  blockingSleep(workMs);
  return countLines(file, entry);
}

/**
 * How many lines of `file` are exactly `entry` (0 if the file is missing).
 *
 * @example
 * ```ts
 * countLines("/tmp/orders.log", "order 1"); // 2 after a retried recordThenWork
 * ```
 */
export function countLines(file: string, entry: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8").split("\n").filter((line) => line === entry).length;
}

/**
 * Works `workMs` (blocking), then fails if this is one of its first `failures`
 * attempts, else returns the attempt that succeeded: a stand-in for a call to
 * a flaky service, to show retries with backoff. Outside a queue job it counts
 * as attempt 1.
 *
 * @example
 * ```ts
 * await queue.submitWith({ attempts: 3, backoff: { type: "exponential", delayMs: 100 } }, queueTasks.flaky, 2, 50); // 3
 * ```
 */
export function flaky(failures: number, workMs: number): number {
  const attempt = jobContext()?.attempt ?? 1;
  blockingSleep(workMs);
  if (attempt <= failures) throw new Error(`flaky service refused attempt ${attempt} (it fails the first ${failures})`);
  return attempt;
}

/**
 * GETs `url` and returns its status code (200, 429, ...) without throwing on
 * an error status, so a job can report a rate limit instead of failing.
 *
 * @example
 * ```ts
 * await queue.submit(queueTasks.fetchStatus, `${server.url}/limited`); // 200 or 429
 * ```
 */
export async function fetchStatus(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

/**
 * Waits `ms` without blocking (an I/O stand-in): many of these share one
 * worker process when its `concurrency` is above 1.
 *
 * @example
 * ```ts
 * await queue.submit(queueTasks.wait, 100);
 * ```
 */
export function wait(ms: number): Promise<number> {
  return new Promise((resolve) => setTimeout(() => resolve(ms), ms));
}

/**
 * Tasks made for the queue notebook; queue workers know them by name, as they
 * know the lib's `tasks` (see `taskFrom` for your own).
 *
 * @example
 * ```ts
 * const f = queue.submit(queueTasks.flaky, 2, 10);
 * ```
 */
export const queueTasks = {
  recordThenWork: taskFrom<[file: string, entry: string, workMs: number], number>(__filename, "recordThenWork"),
  recordOnce: taskFrom<[file: string, entry: string, workMs: number], number>(__filename, "recordOnce"),
  flaky: taskFrom<[failures: number, workMs: number], number>(__filename, "flaky"),
  fetchStatus: taskFrom<[url: string], number>(__filename, "fetchStatus"),
  wait: taskFrom<[ms: number], number>(__filename, "wait"),
};
