import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { CancelledError, TaskAbortedError, WorkerCrashedError } from "./executor-errors";
import { Executor, type ExecutorOptions } from "./executor";
import type { Job } from "./job";
import type { TaskReply } from "./task";
import { forkTiedToParent } from "../lifecycle/parent-death";

/** How many jobs a child may hold: the running one plus one waiting in its inbox, to hide the message round trip. */
const JOBS_PER_CHILD = 2;

interface Child {
  process: ChildProcess;
  lane: string;
  /** Jobs sent to this child, oldest first: the first one is the one running. */
  jobs: Job[];
  /** The child has started and said so: until then its first job's clock must not run (spawning is not running). */
  ready: boolean;
  /** Why the pool stopped this child (SIGINT while it ran a task, or terminate()); its tasks fail with this reason. */
  stopReason?: string;
}

const INTERRUPTED = "the process got SIGINT: a kernel interrupt or Ctrl-C";

/** Each live pool's reaction to SIGINT; one process-wide listener calls them all. */
const onInterrupt = new Set<() => void>();

function sigintListener(): void {
  const handledElsewhere = process.listenerCount("SIGINT") > 1; // e.g. tslab interrupts the running cell
  for (const interrupt of [...onInterrupt]) interrupt();
  if (!handledElsewhere) {
    // A plain script: nothing else handles SIGINT, so die of it as if this listener were not there.
    process.removeListener("SIGINT", sigintListener);
    process.kill(process.pid, "SIGINT");
  }
}

function watchInterrupts(interrupt: () => void, on: boolean): void {
  if (on) onInterrupt.add(interrupt);
  else onInterrupt.delete(interrupt);
  const listening = process.listeners("SIGINT").includes(sigintListener);
  if (onInterrupt.size > 0 && !listening) process.on("SIGINT", sigintListener);
  if (onInterrupt.size === 0 && listening) process.removeListener("SIGINT", sigintListener);
}

/**
 * Python's `ProcessPoolExecutor`, on `child_process.fork`: each worker is a
 * separate Node.js process with its own memory. Values travel with
 * `serialization: "advanced"` (structured clone, like the thread pool), errors
 * keep their class name, message, stack and `code`, and the environment is
 * inherited. A child that dies mid-task fails only that task and is replaced.
 *
 * Children exit with the notebook's process, however it ends: they leave
 * when their IPC channel closes, and on Linux the kernel sends them SIGKILL
 * the moment the parent dies, even in the middle of a task
 * ({@link forkTiedToParent}).
 *
 * Interrupts: Jupyter's interrupt button (and Ctrl-C in a terminal) sends
 * SIGINT to the kernel's whole process group, children included. The
 * children ignore it; the pool decides. A child that was running a task is
 * stopped (SIGKILL) and replaced, and its task fails with a
 * {@link TaskAbortedError} that says the process got SIGINT; tasks not yet
 * started are cancelled ({@link CancelledError}), so nothing of the
 * interrupted cell keeps a core busy. Idle children stay alive, so the next
 * cell's timing does not pay for starting processes again (only the
 * replacements of stopped children, started at once in the background).
 * In a plain script with no other SIGINT handler, the process then dies of
 * SIGINT as usual, and its children with it.
 *
 * @example
 * ```ts
 * import { ProcessPoolExecutor, tasks } from "concurrency-lab";
 * const pool = new ProcessPoolExecutor({ maxWorkers: 2 });
 * await pool.submit(tasks.countPrimes, 0, 1_000_000); // 78498
 * await pool.shutdown();
 * ```
 */
export class ProcessPoolExecutor extends Executor {
  protected readonly workerKind = "process";
  readonly #children = new Set<Child>();
  #nextId = 0;

  readonly #interrupt = () => this.#onInterrupt();

  constructor(opts: ExecutorOptions = {}) {
    super(opts);
  }

  get lanes(): string[] {
    return [...this.#children].map((child) => child.lane);
  }

  protected pump(): void {
    while (this.queuedCount > 0) {
      const child = this.#childWithRoom();
      if (child === undefined) return;
      // A job with a timeout or signal waits for an idle child, so its clock
      // starts when it runs and stopping it stops nothing else.
      const job = this.takeJob((j) => child.jobs.length === 0 || !j.stoppable);
      if (job === undefined) return;
      this.#send(child, job);
    }
  }

  /** The least busy child that can take a job, spawning one while below maxWorkers. */
  #childWithRoom(): Child | undefined {
    let best: Child | undefined;
    for (const child of this.#children) {
      if (child.stopReason !== undefined) continue; // being stopped: it takes nothing more
      if (best === undefined || child.jobs.length < best.jobs.length) best = child;
    }
    if (best !== undefined && best.jobs.length === 0) return best;
    if (this.#children.size < this.maxWorkers) return this.#spawn();
    return best !== undefined && best.jobs.length < JOBS_PER_CHILD ? best : undefined;
  }

  #spawn(): Child {
    const proc = fork(require.resolve("./process-pool-child"), [], {
      serialization: "advanced",
      // Not the notebook's flags (--inspect would clash on the port); on Linux, SIGKILL when this process dies.
      ...forkTiedToParent("SIGKILL"),
    });
    const child: Child = { process: proc, lane: `pid ${proc.pid}`, jobs: [], ready: false };
    this.#children.add(child);
    watchInterrupts(this.#interrupt, true);
    proc.on("message", (message: { id: number; reply: TaskReply } | { ready: true }) => {
      if ("reply" in message) this.#onReply(child, message.reply);
      else this.#onReady(child);
    });
    proc.on("error", () => {}); // a failed spawn or send also ends in "exit", handled there
    proc.once("exit", (code, signal) => this.#onExit(child, code, signal));
    return child;
  }

  #send(child: Child, job: Job): void {
    child.jobs.push(job);
    if (child.jobs.length === 1) this.#begin(child, job);
    this.#setHoldsProcess(child, true);
    try {
      child.process.send({ id: this.#nextId++, call: job.call });
    } catch (error) {
      // The arguments were checked; this is a value the check could not foresee.
      const index = child.jobs.indexOf(job);
      child.jobs.splice(index, 1);
      job.fail(new TypeError(`${job.call.name}: its arguments cannot be sent to a worker process: ${(error as Error).message}`));
      // Only if it was the running one does the next job begin; otherwise the running job keeps its clock.
      if (index === 0) this.#afterJob(child);
      else this.pump();
    }
  }

  #onReady(child: Child): void {
    child.ready = true;
    const first = child.jobs[0];
    if (first !== undefined) this.#begin(child, first);
  }

  #begin(child: Child, job: Job): void {
    if (!child.ready) return; // #onReady begins it
    job.begin(child.lane, () => {
      child.process.kill("SIGKILL");
    });
  }

  #onReply(child: Child, reply: TaskReply): void {
    const job = child.jobs.shift();
    job?.finish(reply);
    this.#afterJob(child);
  }

  #afterJob(child: Child): void {
    const next = child.jobs[0];
    if (next !== undefined) this.#begin(child, next);
    else this.#setHoldsProcess(child, false);
    this.pump();
  }

  #onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    this.#children.delete(child);
    if (this.#children.size === 0) watchInterrupts(this.#interrupt, false);
    const [running, ...waiting] = child.jobs;
    child.jobs = [];
    if (child.stopReason !== undefined) {
      const reason = child.stopReason;
      running?.fail(new TaskAbortedError(running.call.name, child.lane, reason), child.ready ? child.lane : undefined);
      for (const job of waiting) job.fail(new CancelledError(`${job.call.name} was cancelled before it started: ${reason}`));
      this.pump();
      return;
    }
    // A job whose child died before it was ready never ran: no span for it.
    running?.fail(new WorkerCrashedError(running.call.name, child.lane, code, signal), child.ready ? child.lane : undefined);
    // The others never started (a child runs one job at a time): give them to another child.
    this.requeue(waiting);
    this.pump();
  }

  /** SIGINT reached the process: stop what runs, cancel what waits, keep idle children, replace stopped ones. */
  #onInterrupt(): void {
    this.cancelQueued((task) => `${task} was cancelled before it started: ${INTERRUPTED}`);
    let stopped = 0;
    for (const child of this.#children) {
      if (child.jobs.length === 0 || child.stopReason !== undefined) continue;
      child.stopReason = INTERRUPTED;
      child.process.kill("SIGKILL");
      stopped++;
    }
    if (this.isShutdown || process.listenerCount("SIGINT") <= 1) return; // no one will use the pool again
    // Start the replacements now, so the next cell does not time their start-up.
    const live = this.#children.size - stopped;
    for (let i = 0; i < stopped && live + i < this.maxWorkers; i++) this.#setHoldsProcess(this.#spawn(), false);
  }

  /** A busy child keeps the notebook's process alive; an idle one does not, so a plain script can end. */
  #setHoldsProcess(child: Child, holds: boolean): void {
    if (holds) {
      child.process.ref();
      child.process.channel?.ref();
    } else {
      child.process.unref();
      child.process.channel?.unref();
    }
  }

  /** terminate(): every child is killed now; running tasks fail with TaskAbortedError, waiting ones are cancelled. */
  protected override async stopWorkers(): Promise<void> {
    watchInterrupts(this.#interrupt, false);
    await Promise.all(
      [...this.#children].map(async (child) => {
        if (child.process.exitCode !== null || child.process.signalCode !== null) return;
        const exited = once(child.process, "exit");
        child.stopReason ??= "the pool was terminated";
        child.process.kill("SIGKILL");
        await exited;
      }),
    );
  }

  protected async closeWorkers(): Promise<void> {
    watchInterrupts(this.#interrupt, false);
    await Promise.all(
      [...this.#children].map(async (child) => {
        const exited = once(child.process, "exit");
        child.process.ref(); // hold the process until the child is gone
        if (child.process.connected) child.process.disconnect(); // the child exits on "disconnect"
        await exited;
      }),
    );
  }
}
