import * as os from "node:os";
import { randomBytes } from "node:crypto";
import { Queue, QueueEvents, type JobsOptions } from "bullmq";
import { now } from "../measure/clock";
import type { Span, Timeline } from "../measure/timeline";
import { Future } from "../executors/future";
import { ExecutorShutdownError, TaskAbortedError, TaskTimeoutError } from "../executors/executor-errors";
import { reviveError } from "../executors/remote-error";
import type { Task } from "../executors/task";
import { allInOrder, chunkItems, inOrder } from "../executors/map-chunks";
import type { MapOptions, ShutdownOptions, TaskOptions } from "../executors/executor";
import type { SerializedError } from "../executors/task";
import { connectionFor } from "./connection";
import { findNonJson, type QueueJobData, type QueueProgress, type QueueReply } from "./queue-job";
import { startQueueWorkers, workerArgs, type QueueWorkers } from "./queue-workers";
import type { QueueWorkerOptions } from "./run-queue-worker";
import type { RedisServer } from "./redis-server";

/**
 * A job stalled (its worker stopped renewing the lock: killed, or blocked
 * longer than the lock) more often than `maxStalledCount` allows, so BullMQ
 * failed it instead of running it again.
 *
 * @example
 * ```ts
 * await f.catch((e) => e instanceof JobStalledError); // true after too many stalls
 * ```
 */
export class JobStalledError extends Error {
  override readonly name = "JobStalledError";
}

/**
 * The job is no longer in Redis although its future waits: Redis restarted
 * without persistence (or someone deleted the queue). Found by `reconcile()`.
 *
 * @example
 * ```ts
 * await queue.reconcile(); // fails the futures of vanished jobs with JobLostError
 * ```
 */
export class JobLostError extends Error {
  override readonly name = "JobLostError";
}

/** Per-job options: the pools' `TaskOptions`, plus BullMQ's retries, delay and priority. */
export interface QueueTaskOptions extends TaskOptions {
  /** Runs in all, the first included, before the job fails (BullMQ `attempts`). Default 1: no retry. */
  attempts?: number;
  /** Wait before each retry: `delayMs`, doubled each time for "exponential" (BullMQ `backoff`). */
  backoff?: { type: "fixed" | "exponential"; delayMs: number };
  /** Wait this long in Redis before a worker may take the job. */
  delayMs?: number;
  /** 1 is the highest priority; without it, first in first out. */
  priority?: number;
}

/** Options of {@link QueueExecutor}. */
export interface QueueExecutorOptions {
  /** The Redis server ({@link startRedis}) or its URL. */
  redis: RedisServer | string;
  /** Worker processes to start on this machine (`startQueueWorkers`); 0 for none. Default: the core count. */
  maxWorkers?: number;
  /** Jobs in flight in each worker process (BullMQ `concurrency`, one event loop). Default 1. */
  concurrency?: number;
  /** The queue's name; default a new unique one, so executors never share jobs by accident. */
  queueName?: string;
  /** Options of the local worker processes (locks, stall checks, rate limit, task modules). */
  worker?: Omit<QueueWorkerOptions, "redis" | "queue" | "concurrency">;
  /** Every finished attempt adds its span here: completed ("running"), failed, stalled. */
  timeline?: Timeline;
  /** Workers announce each start (lane, time): needed to draw a killed attempt. Costs one Redis write per job. */
  announceStarts?: boolean;
  /** Start a new local worker when one dies. Default true, as the pools do. */
  respawn?: boolean;
}

/** What the executor saw of its jobs (from the queue's events). */
export interface QueueStats {
  submitted: number;
  /** Executions started: a job run twice (a retry, or a stall) counts twice. */
  started: number;
  completed: number;
  /** Jobs that failed for good (after their last attempt). */
  failed: number;
  /** Attempts that failed and were retried. */
  retried: number;
  /** Times a job stalled (its worker died or blocked past its lock) and went back to the queue. */
  stalled: number;
}

interface Pending {
  id: string;
  task: string;
  future: Future<any>;
  unpack: (values: unknown[]) => unknown;
  options: QueueTaskOptions;
  added: boolean;
  timer?: NodeJS.Timeout;
  abort?: () => void;
  /** When the queue reported the current attempt active (this machine's clock). */
  activeAt?: number;
  /** The current attempt's announced start. */
  start?: { lane: string; start: number };
  /** The last failed attempt's error. */
  lastError?: SerializedError;
}

let executorCount = 0;

/**
 * An executor on a real job queue: BullMQ on Redis. Same API as the pools
 * (`submit`, `submitWith`, `map`, `mapAll`, `shutdown`, futures, `asCompleted`),
 * but the work travels through Redis to worker processes that connect over TCP
 * and may run on any machine (`workerCommand()` prints the command).
 *
 * A job carries the task's name and its arguments as JSON (Celery's message),
 * and the result comes back through Redis. Differences from the pools, by design:
 * - **At least once**: a job whose worker dies is run again by another worker
 *   once its lock expires (`worker.lockDurationMs`), so a task can run twice.
 * - **Cancel only while waiting**: `future.cancel()` succeeds until the queue
 *   reports the job active; a running job cannot be stopped from here, and
 *   `timeoutMs` / `signal` stop only the waiting (the job runs on). A worker
 *   may take the job in the moment before that report reaches the producer:
 *   then `cancel()` still returns true, the job runs, and its result is dropped.
 * - **JSON, not structured clone**: Maps, Dates, typed arrays, class instances
 *   and undefined inside arrays are refused with the path of the value.
 * - A worker that dies mid-job does not fail the job: see at least once.
 *
 * @example
 * ```ts
 * import { QueueExecutor, startRedis, tasks } from "concurrency-lab";
 * const redis = await startRedis();
 * const queue = new QueueExecutor({ redis, maxWorkers: 2 });
 * await queue.submit(tasks.countPrimes, 0, 100_000); // 9592
 * await queue.shutdown();
 * await redis.close();
 * ```
 */
export class QueueExecutor {
  /** The local worker processes this executor starts (the pools' maxWorkers). */
  readonly maxWorkers: number;
  /** The BullMQ queue's name: give it to workers started elsewhere. */
  readonly queueName: string;
  readonly timeline: Timeline | undefined;
  readonly redisUrl: string;
  readonly #concurrency: number;
  readonly #workerOptions: Omit<QueueWorkerOptions, "redis" | "queue" | "concurrency">;
  readonly #announce: boolean;
  readonly #respawn: boolean;
  readonly #ownsName: boolean;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #jobs = new Map<string, Pending>();
  readonly #unsettled = new Set<Future<any>>();
  #batch: Pending[] = [];
  #flushing = false;
  #flushed: Promise<void> = Promise.resolve();
  #nextId = 0;
  readonly #tag: string;
  readonly #ready: Promise<void>;
  #workers: QueueWorkers | undefined;
  #workersReady: Promise<void>;
  #closing: Promise<void> | undefined;
  readonly #stats: QueueStats = { submitted: 0, started: 0, completed: 0, failed: 0, retried: 0, stalled: 0 };
  readonly #host = os.hostname();

  constructor(options: QueueExecutorOptions) {
    if (typeof options !== "object" || options === null || options.redis === undefined) {
      throw new TypeError("QueueExecutor needs { redis }: a RedisServer from startRedis() or a redis:// URL");
    }
    const { maxWorkers = os.availableParallelism(), concurrency = 1, timeline } = options;
    if (typeof maxWorkers !== "number" || !Number.isInteger(maxWorkers) || maxWorkers < 0) {
      throw new RangeError(`maxWorkers must be an integer >= 0 (0: workers run elsewhere), got ${String(maxWorkers)}`);
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    this.maxWorkers = maxWorkers;
    this.timeline = timeline;
    this.redisUrl = typeof options.redis === "string" ? options.redis : options.redis.url;
    this.#tag = `q${process.pid}x${++executorCount}${randomBytes(3).toString("hex")}`;
    this.#ownsName = options.queueName === undefined;
    this.queueName = options.queueName ?? `cl-${this.#tag}`;
    this.#concurrency = concurrency;
    this.#workerOptions = { allowSource: true, ...options.worker };
    this.#announce = options.announceStarts === true;
    this.#respawn = options.respawn !== false;
    const connection = connectionFor(this.redisUrl);
    this.#queue = new Queue(this.queueName, {
      connection,
      streams: { events: { maxLen: 100_000 } },
      defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 1000 } },
    });
    this.#queue.on("error", () => {}); // the client reconnects; lost jobs show up in reconcile()
    this.#events = new QueueEvents(this.queueName, { connection });
    this.#events.on("error", () => {});
    this.#listen();
    this.#ready = Promise.all([this.#queue.waitUntilReady(), this.#events.waitUntilReady()]).then(() => undefined);
    this.#workersReady = this.#ready.then(() => this.addWorkers(maxWorkers));
    this.#workersReady.catch(() => {});
  }

  /** Resolves when Redis is reachable and the local workers are up; rejects with the reason otherwise. */
  ready(): Promise<void> {
    return this.#workersReady;
  }

  /** The local workers' lanes ("pid N"), as their spans show them. */
  get lanes(): string[] {
    return this.#workers?.lanes ?? [];
  }

  /** The local worker processes' ids (for CPU and memory accounting). */
  get workerPids(): number[] {
    return this.#workers?.pids ?? [];
  }

  /** The local workers, to kill one (`workers.kill(lane)`) or see which died. */
  get workers(): QueueWorkers | undefined {
    return this.#workers;
  }

  /**
   * The lane ("pid N") of the worker running this future's job now, when the
   * executor has `announceStarts`; undefined otherwise, or while it waits.
   *
   * @example
   * ```ts
   * const lane = queue.runningOn(future); // "pid 4242": queue.workers?.kill(lane) kills it mid-job
   * ```
   */
  runningOn(future: Future<unknown>): string | undefined {
    for (const job of this.#jobs.values()) if (job.future === future) return job.start?.lane;
    return undefined;
  }

  /**
   * For demonstrations of at-least-once delivery: waits until this future's
   * job has run `afterMs` on one of this executor's local workers, then kills
   * that worker process (SIGKILL by default) mid-job. Needs `announceStarts`.
   * Returns the killed lane and the moment of the kill on the shared clock.
   *
   * @example
   * ```ts
   * const job = queue.submit(queueTasks.recordThenWork, file, "order 1", 600);
   * const { lane } = await queue.killWorkerOf(job, { afterMs: 150 }); // the job stalls, then runs again
   * ```
   */
  async killWorkerOf(future: Future<unknown>, options: { afterMs?: number; signal?: NodeJS.Signals } = {}): Promise<{ lane: string; at: number }> {
    const { afterMs = 0, signal = "SIGKILL" } = options;
    if (!this.#announce) throw new Error("killWorkerOf needs a QueueExecutor made with { announceStarts: true }");
    const startOf = () => [...this.#jobs.values()].find((job) => job.future === future)?.start;
    while (startOf() === undefined) {
      if (future.done) throw new Error(`${future.label} finished before it was seen running`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const { lane, start } = startOf()!;
    const wait = start + afterMs - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.#workers === undefined) throw new Error(`${lane} is not a local worker of this executor`);
    this.#workers.kill(lane, signal);
    return { lane, at: now() };
  }

  /** True once `shutdown()` was called. */
  get isShutdown(): boolean {
    return this.#closing !== undefined;
  }

  /** Counts of what happened to this executor's jobs so far. */
  get stats(): QueueStats {
    return { ...this.#stats };
  }

  /**
   * The command that starts one more worker for this queue, here or on another
   * machine that can reach Redis (then use that machine's view of the Redis address).
   *
   * @example
   * ```ts
   * queue.workerCommand(); // "npm run queue-worker -- --redis redis://127.0.0.1:40123 --queue cl-q1x1a2b3c4"
   * ```
   */
  workerCommand(): string {
    const { allowSource: _ignored, ...rest } = this.#workerOptions;
    const args = workerArgs(this.redisUrl, { ...rest, queue: this.queueName, concurrency: this.#concurrency });
    return `npm run queue-worker -- ${args.join(" ")}`;
  }

  /** Starts `n` more local worker processes for this queue (none once it is shut down). */
  async addWorkers(n: number): Promise<void> {
    if (n === 0) return;
    await this.#ready;
    if (this.#closing !== undefined) return;
    if (this.#workers === undefined) {
      const workers = await startQueueWorkers({
        ...this.#workerOptions,
        redis: this.redisUrl,
        queue: this.queueName,
        concurrency: this.#concurrency,
        count: n,
        respawn: this.#respawn,
      });
      // Shut down while they were starting: they have no jobs of ours, and nobody else would stop them.
      if (this.#closing !== undefined) await workers.terminate();
      else this.#workers = workers;
    } else {
      await this.#workers.add(n);
    }
  }

  /** Stops the local workers (jobs stay in Redis until a worker comes back). */
  async stopWorkers(): Promise<void> {
    const workers = this.#workers;
    this.#workers = undefined;
    await workers?.close();
  }

  /**
   * How many of the queue's jobs are in each state, read from Redis
   * (all producers' jobs, not only this executor's).
   *
   * @example
   * ```ts
   * await queue.counts(); // { waiting: 20, active: 0, delayed: 0, completed: 0, failed: 0, prioritized: 0 }
   * ```
   */
  async counts(): Promise<Record<"waiting" | "active" | "delayed" | "completed" | "failed" | "prioritized", number>> {
    await this.#ready;
    const c = await this.#queue.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, prioritized: c.prioritized ?? 0 };
  }

  /**
   * Resolves when every job submitted so far has reached Redis (submissions
   * travel in batches, one round trip per batch).
   *
   * @example
   * ```ts
   * queue.submit(tasks.echo, 1);
   * await queue.sent(); // now it is in Redis: queue.counts() shows it waiting
   * ```
   */
  sent(): Promise<void> {
    return this.#flushed;
  }

  /**
   * The first `count` waiting jobs as Redis holds them: id, task name and the
   * JSON data a worker receives (Celery's message body).
   *
   * @example
   * ```ts
   * await queue.peek(1); // [{ id: "q1x1ab-1", name: "countPrimes", data: { task: "countPrimes", module: "…/tasks.js", args: [[0, 100000]] } }]
   * ```
   */
  async peek(count = 3): Promise<{ id: string; name: string; data: unknown }[]> {
    await this.#ready;
    const jobs = await this.#queue.getWaiting(0, count - 1);
    return jobs.map((job) => ({ id: String(job.id), name: job.name, data: job.data as unknown }));
  }

  /**
   * Checks that every job this executor still waits for is in Redis, and fails
   * the futures of vanished ones with {@link JobLostError} (after a Redis restart
   * without persistence). Returns how many were lost.
   */
  async reconcile(): Promise<number> {
    await this.#ready;
    let lost = 0;
    for (const job of [...this.#jobs.values()]) {
      if (!job.added || job.future.done) continue;
      const state = await this.#queue.getJobState(job.id);
      if (state === "unknown") {
        lost++;
        this.#settle(job, { ok: false, error: new JobLostError(`${job.task} (job ${job.id}) is no longer in Redis: it was lost (a restart without persistence?)`) });
      }
    }
    return lost;
  }

  /** `pool.submit`: queues `task(...args)` as a job and returns its future. */
  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<Awaited<R>> {
    return this.submitWith({}, task, ...args);
  }

  /**
   * `submit` with per-job options: retries (`attempts`, `backoff`), `delayMs`,
   * `priority`, and the pools' `timeoutMs` / `signal`, which here only stop
   * the waiting: the future rejects, the job is not stopped.
   *
   * @example
   * ```ts
   * await queue.submitWith({ attempts: 3, backoff: { type: "exponential", delayMs: 100 } }, queueTasks.flaky, 2, 10); // 3
   * ```
   */
  submitWith<A extends unknown[], R>(options: QueueTaskOptions, task: Task<A, R>, ...args: A): Future<Awaited<R>> {
    return this.#enqueue(task, [args], (values) => values[0] as Awaited<R>, options, (i) => `argument ${i + 1} (args[${i}]`);
  }

  /** `pool.map`: one job per chunk of `chunksize` items; yields results in input order. */
  map<T, R>(task: Task<[T], R>, items: Iterable<T>, options: MapOptions = {}): AsyncIterableIterator<Awaited<R>> {
    return inOrder(this.#submitChunks(task, items, options));
  }

  /** `pool.mapAll`: `map` collected into an array. */
  async mapAll<T, R>(task: Task<[T], R>, items: Iterable<T>, options: MapOptions = {}): Promise<Awaited<R>[]> {
    return allInOrder(this.#submitChunks(task, items, options));
  }

  /**
   * As the pools: stop accepting jobs, wait for this executor's jobs, then stop
   * its local workers and disconnect. `cancelFutures` cancels jobs still
   * waiting. A queue whose name this executor made up is deleted from Redis.
   * When Redis is gone (stopped, crashed), the deletion and the goodbye to
   * Redis are given up after a few seconds instead of waiting for it forever;
   * the jobs' futures still wait, so use `terminate()` to stop at once.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = options;
    if (cancelFutures) {
      for (const job of this.#jobs.values()) job.future.cancel(`${job.task} was cancelled by shutdown({ cancelFutures: true }) before it started`);
    }
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#unsettled]);
      // Workers still starting stop themselves (addWorkers); a Redis that never answered must not hold us.
      await within(this.#workersReady, GIVE_UP_MS);
      await this.stopWorkers();
      const parts = [this.#events, this.#queue];
      const up = await redisAnswers(this.#queue);
      if (up && this.#ownsName) await within(this.#queue.obliterate({ force: true }), GIVE_UP_MS);
      await Promise.all(parts.map(async (part) => {
        // close() first in any case: it also stops BullMQ's own loops (reading events, retrying).
        const closed = part.close();
        if (await within(closed, up ? GIVE_UP_MS : 0)) return;
        // Redis is gone: drop the connections without a goodbye, which also stops their reconnect timers.
        await Promise.all(rawClients(part).map((client) => within(client.then((c) => c.disconnect()), GIVE_UP_MS)));
      }));
    })();
    return wait ? this.#closing : Promise.resolve();
  }

  /**
   * Stops now instead of waiting, as the pools' `terminate()`: cancels the
   * jobs still waiting ({@link CancelledError}), rejects the futures of running
   * ones with {@link TaskAbortedError}, kills the local workers (a running job
   * there is left to stall), deletes a queue whose name this executor made up,
   * and disconnects. `track()` closes an executor this way when its cell runs
   * again. Safe to call again, and after `shutdown()`.
   *
   * @example
   * ```ts
   * const f = queue.submit(tasks.blockingSleep, 60_000);
   * await queue.terminate(); // at once; f rejects with TaskAbortedError
   * ```
   */
  async terminate(): Promise<void> {
    for (const job of [...this.#jobs.values()]) {
      if (job.future.cancel(`${job.task} was cancelled by terminate() before it started`)) continue;
      const error = new TaskAbortedError(job.task, job.start?.lane ?? "a queue worker", "terminate()");
      this.#settle(job, { ok: false, error });
    }
    const workers = this.#workers;
    this.#workers = undefined;
    await workers?.terminate();
    await this.shutdown();
  }

  /** Same as `terminate()`, for `using`-style cleanup. */
  close(): Promise<void> {
    return this.terminate();
  }

  #enqueue<R>(task: Task<any, any>, argsList: unknown[][], unpack: (values: unknown[]) => R, options: QueueTaskOptions, describe: (i: number) => string): Future<R> {
    checkTask(task);
    checkOptions(options);
    const id = `${this.#tag}-${++this.#nextId}`;
    const job: Pending = { id, task: task.name, future: undefined as never, unpack, options, added: false };
    job.future = new Future<R>(task.name, () => this.#cancelled(job));
    if (this.#closing !== undefined) {
      job.future.settle({ ok: false, error: new ExecutorShutdownError(`cannot submit ${task.name}: this queue executor was shut down`) });
      return job.future;
    }
    const bad = findNonJsonArgument(argsList, describe);
    if (bad !== undefined) {
      job.future.settle({ ok: false, error: new TypeError(`${task.name} cannot be sent to a queue worker: ${bad}`) });
      return job.future;
    }
    const { signal } = options;
    if (signal?.aborted) {
      job.future.cancel(`${task.name} was cancelled by its AbortSignal before it started`);
      return job.future;
    }
    if (signal !== undefined) {
      job.abort = () => job.future.cancel(`${task.name} was cancelled by its AbortSignal before it started`);
      signal.addEventListener("abort", job.abort, { once: true });
    }
    this.#jobs.set(id, job);
    this.#unsettled.add(job.future);
    this.#stats.submitted++;
    const data: QueueJobData = { task: task.name, module: task.module, args: argsList };
    if (task.source !== undefined) data.source = task.source;
    if (this.#announce) data.announce = true;
    (job as Pending & { data: QueueJobData }).data = data;
    this.#batch.push(job);
    if (!this.#flushing) {
      this.#flushing = true;
      this.#flushed = new Promise<void>((resolve) => setImmediate(() => this.#flush().then(resolve, resolve)));
    }
    return job.future;
  }

  /** Adds the jobs submitted since the last flush in one round trip (addBulk). */
  async #flush(): Promise<void> {
    try {
      await this.#workersReady; // as in the pools, jobs start once the local workers are up
    } catch (error) {
      this.#flushing = false;
      for (const job of this.#batch.splice(0)) this.#settle(job, { ok: false, error });
      return;
    }
    while (this.#batch.length > 0) {
      const batch = this.#batch.splice(0).filter((job) => !job.future.done);
      if (batch.length === 0) continue;
      const bulk = batch.map((job) => ({
        name: job.task,
        data: (job as Pending & { data: QueueJobData }).data,
        opts: jobOptions(job.id, job.options),
      }));
      try {
        for (const job of batch) job.added = true;
        await this.#queue.addBulk(bulk);
      } catch (error) {
        for (const job of batch) this.#settle(job, { ok: false, error });
      }
    }
    this.#flushing = false;
  }

  #cancelled(job: Pending): void {
    this.#release(job);
    if (!job.added) {
      this.#jobs.delete(job.id);
      return;
    }
    // 0 if a worker took it meanwhile: it runs, its events still count in stats, its result is dropped.
    this.#queue.remove(job.id).then((removed) => removed === 1 && this.#jobs.delete(job.id), () => {});
  }

  /** The future no longer waits (settled or cancelled); the job stays known until its last event, for stats. */
  #release(job: Pending): void {
    clearTimeout(job.timer);
    if (job.abort !== undefined) job.options.signal?.removeEventListener("abort", job.abort);
    this.#unsettled.delete(job.future);
  }

  #settle(job: Pending, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }, span?: Span, final = true): void {
    this.#release(job);
    if (final) this.#jobs.delete(job.id);
    job.future.settle(outcome, span);
  }

  /** A worker's span on this machine's clock; a worker on another host gets its host in the lane. */
  #localSpan(span: Span, host: string, wallOffset: number): Span {
    if (host === this.#host) return span;
    const shift = wallOffset - (Date.now() - now());
    return { ...span, lane: `${host} ${span.lane}`, start: span.start + shift, end: span.end + shift };
  }

  #listen(): void {
    const events = this.#events;
    events.on("active", ({ jobId }) => {
      const job = this.#jobs.get(jobId);
      if (job === undefined) return;
      this.#stats.started++;
      job.activeAt = now();
      job.start = undefined;
      if (!job.future.markRunning()) return;
      const { timeoutMs } = job.options;
      if (timeoutMs !== undefined && job.timer === undefined) {
        job.timer = setTimeout(() => {
          const error = new TaskTimeoutError(job.task, timeoutMs, "a queue worker");
          error.message = `${job.task} ran longer than ${timeoutMs} ms: the future stopped waiting, but the job was not stopped (a queue cannot stop a running job on a worker)`;
          this.#settle(job, { ok: false, error }, undefined, false);
        }, timeoutMs);
      }
    });
    events.on("progress", ({ jobId, data }) => {
      const job = this.#jobs.get(jobId);
      const progress = data as unknown as QueueProgress;
      if (job === undefined || typeof progress !== "object" || progress === null) return;
      if (progress.kind === "start") {
        const shift = progress.host === this.#host ? 0 : progress.wallStart - progress.start - (Date.now() - now());
        const lane = progress.host === this.#host ? progress.lane : `${progress.host} ${progress.lane}`;
        job.start = { lane, start: progress.start + shift };
      } else if (progress.kind === "error") {
        job.lastError = progress.error;
        const span = this.#localSpan(progress.span, progress.host, progress.wallOffset);
        this.timeline?.add({ ...span, label: `${job.task} (attempt ${progress.attempt})`, kind: "failed" });
      }
    });
    events.on("delayed", ({ jobId }) => this.#retrying(jobId));
    events.on("waiting", ({ jobId, prev }) => {
      if (prev === "failed") this.#retrying(jobId);
    });
    events.on("stalled", ({ jobId }) => {
      const job = this.#jobs.get(jobId);
      if (job === undefined) return;
      this.#stats.stalled++;
      const start = job.start?.start ?? job.activeAt;
      if (start !== undefined) {
        const lane = job.start?.lane ?? "a dead worker";
        this.timeline?.add({ label: `${job.task} (stalled)`, lane, start, end: now(), kind: "stalled" });
      }
    });
    events.on("completed", ({ jobId, returnvalue }) => {
      const job = this.#jobs.get(jobId);
      if (job === undefined) return;
      this.#stats.completed++;
      const reply = returnvalue as unknown as QueueReply;
      const values = [...reply.values];
      for (const i of reply.undefinedAt ?? []) values[i] = undefined;
      const span = this.#localSpan(reply.span, reply.host, reply.wallOffset);
      this.timeline?.add(span);
      this.#settle(job, { ok: true, value: job.unpack(values) }, span);
    });
    events.on("failed", ({ jobId, failedReason }) => {
      const job = this.#jobs.get(jobId);
      if (job === undefined) return;
      this.#stats.failed++;
      let error: Error;
      if (job.lastError !== undefined && job.lastError.message === failedReason) error = reviveError(job.lastError);
      else if (/stalled more than allowable limit/.test(failedReason)) {
        error = new JobStalledError(`${job.task} (job ${job.id}) stalled more often than allowed (its worker died or blocked past its lock): ${failedReason}`);
      } else error = new Error(failedReason);
      this.#settle(job, { ok: false, error });
    });
  }

  #retrying(jobId: string): void {
    const job = this.#jobs.get(jobId);
    if (job !== undefined && job.lastError !== undefined) this.#stats.retried++;
  }

  #submitChunks<T, R>(task: Task<[T], R>, items: Iterable<T>, options: MapOptions): Future<Awaited<R>[]>[] {
    const { chunksize = 1, ...taskOptions } = options;
    return chunkItems(items, chunksize).map(({ argsList, describe }) =>
      this.#enqueue(task, argsList, (values) => values as Awaited<R>[], taskOptions, describe));
  }
}

/**
 * How long shutdown waits for Redis to answer (deleting the queue, saying
 * goodbye) before it gives up: with `maxRetriesPerRequest: null` a command to
 * a Redis that is gone would wait for ever.
 */
const GIVE_UP_MS = 3000;

/** The part of an ioredis client that shutdown needs. */
interface RawClient {
  status: string;
  disconnect(): void;
}

/** The raw Redis clients of a queue or its events reader (BullMQ's Redis backend). */
function rawClients(part: Queue | QueueEvents): Promise<RawClient>[] {
  const backend = part.backend as unknown as { client: Promise<RawClient>; blockingClient?: Promise<RawClient> };
  return [backend.client, ...(backend.blockingClient ? [backend.blockingClient] : [])];
}

/** True when the connection of `part` is up (a Redis that stopped or crashed leaves it reconnecting). */
async function redisAnswers(part: Queue): Promise<boolean> {
  let status = "unknown";
  await within(rawClients(part)[0]!.then((client) => { status = client.status; }), GIVE_UP_MS);
  return status === "ready";
}

/** Waits for `promise` at most `ms`: true when it settled (either way) in time. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

function jobOptions(jobId: string, options: QueueTaskOptions): JobsOptions {
  const opts: JobsOptions = { jobId };
  if (options.attempts !== undefined) opts.attempts = options.attempts;
  if (options.backoff !== undefined) opts.backoff = { type: options.backoff.type, delay: options.backoff.delayMs };
  if (options.delayMs !== undefined) opts.delay = options.delayMs;
  if (options.priority !== undefined) opts.priority = options.priority;
  return opts;
}

function checkTask(task: Task<any, any>): void {
  if (typeof task !== "object" || task === null || typeof task.module !== "string" || typeof task.name !== "string") {
    throw new TypeError(
      `task must be a Task (tasks.isPrime, taskFrom(path, name) or defineTask(fn)), got ${typeof task === "function" ? "a function: wrap it with defineTask(fn)" : String(task)}`,
    );
  }
}

function checkOptions(options: QueueTaskOptions): void {
  const { timeoutMs, signal, attempts, backoff, delayMs, priority } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs < 2 ** 31)) {
    throw new RangeError(`timeoutMs must be a number of milliseconds > 0 and below 2^31 (setTimeout's limit), got ${String(timeoutMs)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError("signal must be an AbortSignal");
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) throw new RangeError(`attempts must be an integer >= 1, got ${String(attempts)}`);
  if (backoff !== undefined && !((backoff.type === "fixed" || backoff.type === "exponential") && backoff.delayMs >= 0)) {
    throw new RangeError(`backoff must be { type: "fixed" | "exponential", delayMs: >= 0 }, got ${JSON.stringify(backoff)}`);
  }
  if (delayMs !== undefined && !(typeof delayMs === "number" && delayMs >= 0)) throw new RangeError(`delayMs must be >= 0, got ${String(delayMs)}`);
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1)) throw new RangeError(`priority must be an integer >= 1, got ${String(priority)}`);
}

function findNonJsonArgument(argsList: unknown[][], describe: (index: number) => string): string | undefined {
  for (let call = 0; call < argsList.length; call++) {
    const args = argsList[call]!;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const bad = arg === undefined ? { path: "", reason: "is undefined: JSON has no undefined (it would arrive as null); pass null" } : findNonJson(arg, "");
      if (bad !== undefined) return `${describe(argsList.length === 1 ? i : call)}${bad.path}) ${bad.reason}`;
    }
  }
  return undefined;
}
