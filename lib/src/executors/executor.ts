import * as os from "node:os";
import { ExecutorShutdownError } from "./executor-errors";
import { findUncloneable } from "./cloneability";
import type { Future } from "./future";
import { Job, type TaskOptions } from "./job";
import { allInOrder, chunkItems, inOrder } from "./map-chunks";
import type { Task, TaskCall } from "./task";
import type { Timeline } from "../measure/timeline";

export type { TaskOptions } from "./job";

/** Options of both executors. */
export interface ExecutorOptions {
  /** How many threads or processes at most; default `os.availableParallelism()` (the core count). */
  maxWorkers?: number;
  /** Every finished task adds its span (lane "thread N" / "pid N") to this timeline. */
  timeline?: Timeline;
}

/** Options of `map`: `chunksize` items travel to a worker together; timeout and signal apply per chunk. */
export interface MapOptions extends TaskOptions {
  chunksize?: number;
}

/** Options of `shutdown`, as in Python. */
export interface ShutdownOptions {
  /** Resolve only when all submitted work is done and all workers are gone (default true). */
  wait?: boolean;
  /** Cancel the tasks that have not started yet (default false). */
  cancelFutures?: boolean;
}

/**
 * What ThreadPoolExecutor and ProcessPoolExecutor share: the queue, futures,
 * `submit` / `map` / `shutdown` with Python's `concurrent.futures` semantics.
 * Subclasses only move jobs to their workers (`pump`) and stop them (`closeWorkers`).
 *
 * @example
 * ```ts
 * async function total(pool: Executor) { return (await pool.mapAll(tasks.sumOfSquares, [1e6, 2e6])).reduce((a, b) => a + b); }
 * ```
 */
export abstract class Executor {
  /** The most workers this pool runs at once. */
  readonly maxWorkers: number;
  /** The timeline that receives every task's span, if one was given. */
  readonly timeline: Timeline | undefined;
  /** "thread" or "process": used in messages. */
  protected abstract readonly workerKind: string;
  #queue: Job<any>[] = [];
  #head = 0;
  readonly #unsettled = new Set<Job<any>>();
  #closing: Promise<void> | undefined;
  #terminating: Promise<void> | undefined;

  constructor(opts: ExecutorOptions = {}) {
    if (typeof opts !== "object" || opts === null) throw new TypeError("options must be an object like { maxWorkers: 4 }");
    const { maxWorkers = os.availableParallelism(), timeline } = opts;
    if (typeof maxWorkers !== "number" || !Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new RangeError(`maxWorkers must be an integer >= 1, got ${String(maxWorkers)}`);
    }
    this.maxWorkers = maxWorkers;
    this.timeline = timeline;
  }

  /** The live workers' lanes ("thread N" or "pid N"), as they appear in spans. */
  abstract get lanes(): string[];

  /** True once `shutdown()` was called. */
  get isShutdown(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Schedules `task(...args)` on a worker and returns its {@link Future}
   * (Python's `executor.submit(fn, *args)`).
   *
   * @example
   * ```ts
   * const f = pool.submit(tasks.countPrimes, 0, 100_000);
   * await f; // 9592
   * ```
   */
  submit<A extends unknown[], R>(task: Task<A, R>, ...args: A): Future<Awaited<R>> {
    return this.submitWith({}, task, ...args);
  }

  /**
   * `submit` with per-task options: `timeoutMs` (running time) and `signal`.
   * A task stopped while running takes its worker down; the pool replaces it.
   *
   * @example
   * ```ts
   * await pool.submitWith({ timeoutMs: 200 }, tasks.blockingSleep, 10_000); // rejects with TaskTimeoutError
   * ```
   */
  submitWith<A extends unknown[], R>(options: TaskOptions, task: Task<A, R>, ...args: A): Future<Awaited<R>> {
    return this.#enqueue(task, [args], (values) => values[0] as Awaited<R>, options, (i) => `argument ${i + 1} (args[${i}]`);
  }

  /**
   * Runs `task` on every item, `chunksize` items per message, and yields the
   * results in input order (Python's `executor.map`). Everything is submitted
   * at once; the first failure (in input order) throws from the loop, and
   * leaving the loop early cancels the chunks that have not started.
   *
   * @example
   * ```ts
   * for await (const prime of pool.map(tasks.isPrime, [2, 4, 97], { chunksize: 2 })) console.log(prime); // true false true
   * ```
   */
  map<T, R>(task: Task<[T], R>, items: Iterable<T>, options: MapOptions = {}): AsyncIterableIterator<Awaited<R>> {
    return inOrder(this.#submitChunks(task, items, options));
  }

  /**
   * Like {@link Executor.map}, collected into an array: `await pool.mapAll(...)`
   * is Python's `list(executor.map(...))`.
   *
   * @example
   * ```ts
   * await pool.mapAll(tasks.sumOfSquares, [10, 100, 1000]); // [285, 328350, 332833500]
   * ```
   */
  async mapAll<T, R>(task: Task<[T], R>, items: Iterable<T>, options: MapOptions = {}): Promise<Awaited<R>[]> {
    return allInOrder(this.#submitChunks(task, items, options));
  }

  /**
   * Stops accepting work and frees the workers once the submitted work is done
   * (Python's `shutdown(wait=True, cancel_futures=False)`). Safe to call again.
   * With `wait: false` it returns at once; the queued work still runs unless
   * `cancelFutures` is set, and the workers go when it is done.
   *
   * @example
   * ```ts
   * await pool.shutdown();                                   // waits for everything
   * await pool.shutdown({ wait: false, cancelFutures: true }); // drop what has not started
   * ```
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const { wait = true, cancelFutures = false } = options;
    if (cancelFutures) {
      for (let i = this.#head; i < this.#queue.length; i++) {
        const job = this.#queue[i]!;
        job.future.cancel(`${job.call.name} was cancelled by shutdown({ cancelFutures: true }) before it started`);
      }
    }
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#unsettled].map((job) => job.future));
      await this.closeWorkers();
    })();
    return wait ? this.#closing : Promise.resolve();
  }

  /**
   * Stops the pool now instead of waiting for its work: cancels the tasks
   * that have not started ({@link CancelledError}), stops the running ones
   * (their futures reject with {@link TaskAbortedError}), ends the workers and
   * resolves when they are gone. Safe to call again, and after `shutdown()`.
   * `track()` closes a pool this way when its cell runs again, so a re-run
   * never waits for the previous run's work.
   *
   * @example
   * ```ts
   * const f = pool.submit(tasks.blockingSleep, 60_000);
   * await pool.terminate(); // at once; f rejects with TaskAbortedError
   * ```
   */
  async terminate(): Promise<void> {
    const closing = this.shutdown({ wait: false, cancelFutures: true });
    this.#terminating ??= this.stopWorkers();
    await this.#terminating;
    await closing;
    await this.#closing;
  }

  /** Stops the workers at once, failing their running tasks; by default waits for them (subclasses that can stop work override). */
  protected stopWorkers(): Promise<void> {
    return this.closeWorkers();
  }

  /** Cancels every queued job that has not been taken by a worker, with `reason(taskName)` as the message. */
  protected cancelQueued(reason: (task: string) => string): number {
    let cancelled = 0;
    for (let i = this.#head; i < this.#queue.length; i++) {
      const job = this.#queue[i]!;
      if (!job.future.done && job.future.cancel(reason(job.call.name))) cancelled++;
    }
    return cancelled;
  }

  /** Moves queued jobs to workers while there is room. Called whenever a job is queued or a worker frees up. */
  protected abstract pump(): void;

  /** Ends all workers (after the work is done) and resolves when they are gone. */
  protected abstract closeWorkers(): Promise<void>;

  /**
   * The next queued job that is still wanted, marked as taken by a worker.
   * With `accept`, a job it refuses stays at the head of the queue.
   */
  protected takeJob(accept?: (job: Job<any>) => boolean): Job<any> | undefined {
    while (this.#head < this.#queue.length) {
      const job = this.#queue[this.#head]!;
      if (!job.future.done && accept !== undefined && !accept(job)) return undefined;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      if (job.dispatch()) return job;
    }
    return undefined;
  }

  /** Puts jobs that a dead worker had taken but not started back at the front of the queue. */
  protected requeue(jobs: Job<any>[]): void {
    this.#queue.splice(this.#head, 0, ...jobs);
  }

  /** How many jobs wait in the queue (cancelled ones included until skipped). */
  protected get queuedCount(): number {
    return this.#queue.length - this.#head;
  }

  #enqueue<R>(
    task: Task<any, any>,
    argsList: unknown[][],
    unpack: (values: unknown[]) => R,
    options: TaskOptions,
    describeArg: (index: number) => string,
  ): Future<R> {
    checkTask(task);
    checkTaskOptions(options);
    const call: TaskCall = { module: task.module, name: task.name, argsList };
    if (task.source !== undefined) call.source = task.source;
    const job = new Job<R>(call, unpack, options, this.timeline, () => {});
    if (this.#closing !== undefined) {
      job.fail(new ExecutorShutdownError(`cannot submit ${task.name}: this ${this.workerKind} pool was shut down`));
      return job.future;
    }
    const unsendable = findUnsendableArgument(argsList, describeArg);
    if (unsendable !== undefined) {
      job.fail(new TypeError(`${task.name} cannot be sent to a worker ${this.workerKind}: ${unsendable}`));
      return job.future;
    }
    if (job.future.done) return job.future; // its signal was already aborted
    this.#unsettled.add(job);
    const release = () => {
      this.#unsettled.delete(job);
    };
    job.future.then(release, release);
    this.#queue.push(job);
    this.pump();
    return job.future;
  }

  #submitChunks<T, R>(task: Task<[T], R>, items: Iterable<T>, options: MapOptions): Future<Awaited<R>[]>[] {
    const { chunksize = 1, ...taskOptions } = options;
    return chunkItems(items, chunksize).map(({ argsList, describe }) =>
      this.#enqueue(task, argsList, (values) => values as Awaited<R>[], taskOptions, describe));
  }

}

function checkTask(task: Task<any, any>): void {
  if (typeof task !== "object" || task === null || typeof task.module !== "string" || typeof task.name !== "string") {
    throw new TypeError(
      `task must be a Task (tasks.isPrime, taskFrom(path, name) or defineTask(fn)), got ${typeof task === "function" ? "a function: wrap it with defineTask(fn)" : String(task)}`,
    );
  }
}

function checkTaskOptions(options: TaskOptions): void {
  const { timeoutMs, signal } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs < 2 ** 31)) {
    throw new RangeError(`timeoutMs must be a number of milliseconds > 0 and below 2^31 (setTimeout's limit), got ${String(timeoutMs)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError("signal must be an AbortSignal");
}

/** "argument 1 (args[0].onDone) is a function: ..." for the first value that cannot be copied, if any. */
function findUnsendableArgument(argsList: unknown[][], describeArg: (index: number) => string): string | undefined {
  for (let call = 0; call < argsList.length; call++) {
    const args = argsList[call]!;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (typeof arg !== "object" && typeof arg !== "function" && typeof arg !== "symbol") continue; // primitives always travel
      const bad = findUncloneable(arg, "");
      if (bad !== undefined) {
        const index = argsList.length === 1 ? i : call;
        return `${describeArg(index)}${bad.path}) ${bad.reason}`;
      }
    }
  }
  return undefined;
}
