import type { Worker } from "node:worker_threads";
import Piscina from "piscina";
import { TaskAbortedError, WorkerCrashedError } from "./executor-errors";
import { Executor, type ExecutorOptions } from "./executor";
import type { Job } from "./job";
import type { TaskReply } from "./task";

/**
 * When at least this many jobs wait, several small ones travel to a thread in
 * one message: one postMessage per task caps piscina near 25k tasks/s, batches
 * lift that several times. Below it (the usual few long tasks of a notebook)
 * every task travels alone, so results arrive one by one.
 */
const BATCH_BACKLOG = 64;
const MAX_BATCH = 128;

/**
 * Python's `ThreadPoolExecutor`, on worker threads (piscina). Unlike Python's
 * threads, each worker thread has its own JavaScript engine instance and runs
 * JavaScript in parallel with the others: there is no GIL, so CPU-bound tasks
 * speed up with the number of cores. The price: tasks and values are copied to
 * and from the thread (structured clone), never shared.
 *
 * Threads start on first use and are kept while idle without keeping the
 * process alive; `shutdown()` ends them.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, tasks } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const counts = await pool.mapAll(tasks.sumOfSquares, [1e7, 1e7]); // both cores busy
 * await pool.shutdown();
 * ```
 */
export class ThreadPoolExecutor extends Executor {
  protected readonly workerKind = "thread";
  readonly #piscina: Piscina;
  #running = 0;
  readonly #threadIds = new Map<Worker, number>();
  /** The thread piscina removed last: a crash or a stop removes the worker just before failing its task. */
  #lastRemoved = "a worker thread";
  /** Set by terminate(): the reason running tasks fail with. */
  #stopReason: string | undefined;
  #destroyed: Promise<void> | undefined;

  constructor(opts: ExecutorOptions = {}) {
    super(opts);
    this.#piscina = new Piscina({
      filename: require.resolve("./thread-pool-worker"),
      minThreads: 0,
      maxThreads: this.maxWorkers,
      idleTimeout: Infinity, // keep idle threads (piscina unrefs them, so they never hold the process)
    });
    // A thread that exited reports threadId -1, so remember each thread's id while it lives.
    this.#piscina.on("workerCreate", () => {
      for (const thread of this.#piscina.threads) if (!this.#threadIds.has(thread)) this.#threadIds.set(thread, thread.threadId);
    });
    this.#piscina.on("workerDestroy", (worker: { id: number }) => {
      let id = worker.id;
      for (const [thread, knownId] of this.#threadIds) {
        if (thread.threadId === -1) {
          this.#threadIds.delete(thread);
          if (id === -1) id = knownId;
        }
      }
      this.#lastRemoved = `thread ${id}`;
    });
    // piscina reports errors of idle workers here; with no task to fail there is nothing to do.
    this.#piscina.on("error", () => {});
  }

  get lanes(): string[] {
    return this.#piscina.threads.map((thread) => `thread ${thread.threadId}`);
  }

  protected pump(): void {
    while (this.#running < this.maxWorkers) {
      const job = this.takeJob();
      if (job === undefined) return;
      if (job.stoppable || this.queuedCount < BATCH_BACKLOG) {
        this.#run(job);
        continue;
      }
      // A long backlog of small tasks: share it out in batches. Jobs with a
      // timeout or signal always travel alone, so stopping one stops only it.
      const size = Math.min(MAX_BATCH, Math.ceil(this.queuedCount / this.maxWorkers));
      const batch = [job];
      for (let next; batch.length < size && (next = this.takeJob((j) => !j.stoppable)) !== undefined; ) batch.push(next);
      this.#runBatch(batch);
    }
  }

  #run(job: Job): void {
    this.#running++;
    const stopper = job.stoppable ? new AbortController() : undefined;
    job.begin("a worker thread", () => {
      stopper?.abort();
      return this.#lastRemoved;
    });
    this.#piscina
      .run(job.call, { signal: stopper?.signal })
      .then(
        (reply: TaskReply) => job.finish(reply),
        (error: Error) => job.fail(this.#crashError(job, error), this.#lastRemoved),
      )
      .finally(() => this.#workerFreed());
  }

  #runBatch(batch: Job[]): void {
    this.#running++;
    for (const job of batch) job.begin("a worker thread", () => {});
    this.#piscina
      .run(batch.map((job) => job.call))
      .then(
        (replies: TaskReply[]) => batch.forEach((job, i) => job.finish(replies[i]!)),
        // Which task of the batch crashed the thread is unknown: all unfinished ones fail with the crash
        // (Python's ProcessPoolExecutor fails every pending task when one process dies).
        (error: Error) => batch.forEach((job) => job.fail(this.#crashError(job, error), this.#lastRemoved)),
      )
      .finally(() => this.#workerFreed());
  }

  #workerFreed(): void {
    this.#running--;
    this.pump();
  }

  #crashError(job: Job, error: Error): Error {
    if (this.#stopReason !== undefined) return new TaskAbortedError(job.call.name, this.#lastRemoved, this.#stopReason);
    // A value the cloneability check did not foresee: postMessage refused it (arguments: no thread involved;
    // a result: the thread that could not post it is replaced). Either way it is the value's fault: a TypeError.
    if (error.name === "DataCloneError" || /could not be cloned|transferList|Unserializable host object/.test(error.message)) {
      return new TypeError(`${job.call.name}: a value could not be copied to or from a worker thread: ${error.message}`, { cause: error });
    }
    const exited = /worker exited with code: (-?\d+)/.exec(error.message);
    if (exited) return new WorkerCrashedError(job.call.name, this.#lastRemoved, Number(exited[1]));
    return new WorkerCrashedError(job.call.name, this.#lastRemoved, null, null, error);
  }

  /** terminate(): the threads are terminated now (even in a synchronous loop); running tasks fail with TaskAbortedError. */
  protected override async stopWorkers(): Promise<void> {
    this.#stopReason ??= "the pool was terminated";
    await this.closeWorkers();
  }

  protected async closeWorkers(): Promise<void> {
    this.#destroyed ??= this.#piscina.destroy();
    await this.#destroyed;
  }
}
