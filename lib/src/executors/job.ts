import { now } from "../measure/clock";
import { Future } from "./future";
import { TaskAbortedError, TaskTimeoutError } from "./executor-errors";
import { reviveError } from "./remote-error";
import type { TaskCall, TaskReply } from "./task";
import type { Span, Timeline } from "../measure/timeline";

/** Per-task options: stop the task when `signal` aborts or after `timeoutMs` of running. */
export interface TaskOptions {
  /** Aborting cancels the task if queued, or stops its worker if running. */
  signal?: AbortSignal;
  /**
   * Longest running time in ms (queue time and a child process's start-up not counted); then the
   * worker is stopped and replaced. In a thread pool, a task that starts a new thread also counts
   * the thread's start-up (tens of ms).
   */
  timeoutMs?: number;
}

/**
 * One unit of work inside an executor: the call a worker runs, the future it
 * settles, and the clock that stops it (timeout or signal).
 * Life: queued -> dispatched (a worker owns it; cannot be cancelled) ->
 * begun (it is the one running; the timeout starts) -> settled.
 *
 * @example
 * ```ts
 * const call = { module: "", name: "double", source: "(x) => 2 * x", argsList: [[21]] };
 * const job = new Job(call, (values) => values[0], { timeoutMs: 1000 }, undefined, () => {});
 * if (job.dispatch()) job.begin("main", () => "stopped"); // a worker owns it; its timeout runs
 * job.finish(await runTaskCall(job.call));                // what the worker answers
 * await job.future; // 42
 * ```
 * @internal
 */
export class Job<R = unknown> {
  readonly future: Future<R>;
  #startedAt = 0;
  #lane = "";
  #timer: NodeJS.Timeout | undefined;
  #abortListener: (() => void) | undefined;

  constructor(
    readonly call: TaskCall,
    /** Turns the worker's values into the future's value (one value for submit, an array for a map chunk). */
    private readonly unpack: (values: unknown[]) => R,
    private readonly options: TaskOptions,
    private readonly timeline: Timeline | undefined,
    onCancel: (job: Job<R>) => void,
  ) {
    this.future = new Future<R>(call.name, () => {
      this.#disarm();
      onCancel(this);
    });
    const { signal } = options;
    if (signal !== undefined) {
      this.#abortListener = () => this.future.cancel(`${call.name} was cancelled by its AbortSignal before it started`);
      if (signal.aborted) this.#abortListener();
      else signal.addEventListener("abort", this.#abortListener, { once: true });
    }
  }

  /** A worker took the job (it may wait in that worker's inbox). False if it was cancelled meanwhile. */
  dispatch(): boolean {
    return this.future.markRunning();
  }

  /** True if the job has a timeout or a signal, so its worker may have to be stopped. */
  get stoppable(): boolean {
    return this.options.timeoutMs !== undefined || this.options.signal !== undefined;
  }

  /**
   * The job starts running on `lane`: arms its timeout and signal. `stop` must
   * kill the worker (and may return the lane it killed, when the caller could
   * not know it before). The job fails at once, so the crash that follows is ignored.
   */
  begin(lane: string, stop: () => string | void): void {
    this.#lane = lane;
    this.#startedAt = now();
    const { signal, timeoutMs } = this.options;
    const halt = (makeError: (lane: string) => Error) => {
      this.#lane = stop() || lane;
      this.fail(makeError(this.#lane));
    };
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => halt((l) => new TaskTimeoutError(this.call.name, timeoutMs, l)), timeoutMs);
    }
    if (signal !== undefined) {
      this.#removeAbortListener();
      this.#abortListener = () => halt((l) => new TaskAbortedError(this.call.name, l, signal.reason));
      if (signal.aborted) this.#abortListener();
      else signal.addEventListener("abort", this.#abortListener, { once: true });
    }
  }

  /** Settles with the worker's reply. */
  finish(reply: TaskReply): void {
    if (this.future.done) return;
    this.#disarm();
    this.timeline?.add(reply.span);
    if (reply.ok) this.future.settle({ ok: true, value: this.unpack(reply.values) }, reply.span);
    else this.future.settle({ ok: false, error: reviveError(reply.error) }, reply.span);
  }

  /** Settles with a failure outside the task: crash, timeout, abort, unsendable arguments. */
  fail(error: Error, lane?: string): void {
    if (this.future.done) return;
    this.#disarm();
    if (lane !== undefined) this.#lane = lane;
    let span: Span | undefined;
    if (this.#lane !== "") {
      span = { label: this.call.name, lane: this.#lane, start: this.#startedAt, end: now(), kind: error.name };
      this.timeline?.add(span);
    }
    this.future.settle({ ok: false, error }, span);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#removeAbortListener();
  }

  #removeAbortListener(): void {
    if (this.#abortListener !== undefined) this.options.signal?.removeEventListener("abort", this.#abortListener);
    this.#abortListener = undefined;
  }
}
