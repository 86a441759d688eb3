import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { WorkerCrashedError } from "./executor-errors";
import { Executor, type ExecutorOptions } from "./executor";
import type { Job } from "./job";
import type { TaskReply } from "./task";

/** How many jobs a child may hold: the running one plus one waiting in its inbox, to hide the message round trip. */
const JOBS_PER_CHILD = 2;

interface Child {
  process: ChildProcess;
  lane: string;
  /** Jobs sent to this child, oldest first: the first one is the one running. */
  jobs: Job[];
  /** The child has started and said so: until then its first job's clock must not run (spawning is not running). */
  ready: boolean;
}

/**
 * Python's `ProcessPoolExecutor`, on `child_process.fork`: each worker is a
 * separate Node.js process with its own memory. Values travel with
 * `serialization: "advanced"` (structured clone, like the thread pool), errors
 * keep their class name, message, stack and `code`, and the environment is
 * inherited. A child that dies mid-task fails only that task and is replaced.
 * Children exit by themselves when the notebook's process goes away.
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
    for (const child of this.#children) if (best === undefined || child.jobs.length < best.jobs.length) best = child;
    if (best !== undefined && best.jobs.length === 0) return best;
    if (this.#children.size < this.maxWorkers) return this.#spawn();
    return best !== undefined && best.jobs.length < JOBS_PER_CHILD ? best : undefined;
  }

  #spawn(): Child {
    const proc = fork(require.resolve("./process-pool-child"), [], {
      serialization: "advanced",
      execArgv: [], // not the notebook's flags (--inspect would clash on the port)
    });
    const child: Child = { process: proc, lane: `pid ${proc.pid}`, jobs: [], ready: false };
    this.#children.add(child);
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
    const [running, ...waiting] = child.jobs;
    child.jobs = [];
    // A job whose child died before it was ready never ran: no span for it.
    running?.fail(new WorkerCrashedError(running.call.name, child.lane, code, signal), child.ready ? child.lane : undefined);
    // The others never started (a child runs one job at a time): give them to another child.
    this.requeue(waiting);
    this.pump();
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

  protected async closeWorkers(): Promise<void> {
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
