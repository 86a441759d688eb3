/**
 * `npm run queue-worker -- --redis redis://host:port --concurrency k`
 *
 * One queue worker process: it connects to Redis over TCP, takes the jobs of a
 * QueueExecutor's queue and runs their tasks. Start it on any machine that can
 * reach the Redis server; Ctrl-C lets the running jobs finish, then stops.
 * When started by the lib (startQueueWorkers) it also exits with its parent.
 */
import { parseArgs } from "node:util";
import { runQueueWorker, type QueueWorkerOptions } from "../queue/run-queue-worker";
import { exitWithParent } from "../lifecycle/parent-death";

const USAGE = `usage: npm run queue-worker -- --redis redis://host:port [options]

  --redis URL        the Redis server holding the queue                       (required)
  --queue NAME       the queue's name (a QueueExecutor's .queueName)           default concurrency-lab
  --concurrency K    jobs in flight in this process (one event loop: helps I/O, not CPU) default 1
  --tasks FILE.js    also run this module's exported functions (repeatable)
  --allow-source     run defineTask functions sent as source text (private Redis only)
  --lock-ms MS       lock duration: a dead worker's job is run again after this  default 30000
  --stalled-ms MS    how often to look for stalled jobs                         default 30000
  --max-stalled N    stalls allowed before the job fails                        default 1
  --limit MAX/MS     start at most MAX jobs per MS across the queue, e.g. 5/1000`;

function integerFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new RangeError(`--${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parse(argv: string[]): QueueWorkerOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      redis: { type: "string" },
      queue: { type: "string" },
      concurrency: { type: "string" },
      tasks: { type: "string", multiple: true },
      "allow-source": { type: "boolean" },
      "lock-ms": { type: "string" },
      "stalled-ms": { type: "string" },
      "max-stalled": { type: "string" },
      limit: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return undefined;
  if (values.redis === undefined) throw new RangeError("--redis is required, e.g. --redis redis://127.0.0.1:6379");
  let limiter: QueueWorkerOptions["limiter"];
  if (values.limit !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.limit);
    if (m === null) throw new RangeError(`--limit must look like MAX/MS (e.g. 5/1000), got ${JSON.stringify(values.limit)}`);
    limiter = { max: Number(m[1]), durationMs: Number(m[2]) };
  }
  return {
    redis: values.redis,
    queue: values.queue,
    concurrency: integerFlag("concurrency", values.concurrency),
    taskModules: values.tasks,
    allowSource: values["allow-source"] === true,
    lockDurationMs: integerFlag("lock-ms", values["lock-ms"]),
    stalledIntervalMs: integerFlag("stalled-ms", values["stalled-ms"]),
    maxStalledCount: integerFlag("max-stalled", values["max-stalled"]),
    limiter,
  };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options === undefined) {
    console.log(USAGE);
    return;
  }
  const worker = await runQueueWorker(options);
  let stopping = false;
  const stop = (graceMs: number) => {
    if (stopping) return;
    stopping = true;
    // Let running jobs finish, but never hang: a job that does not end in time is left to be run again elsewhere.
    setTimeout(() => process.exit(0), graceMs).unref();
    worker.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", () => stop(10_000));
  process.once("SIGTERM", () => stop(10_000));
  if (process.send !== undefined) {
    // Started by the lib: leave with the parent (kernel exit or kill -9), and say we are ready.
    exitWithParent({ stdin: false, beforeExit: () => worker.close(), graceMs: 2000 });
    process.send({ type: "ready", lane: worker.lane });
  } else {
    const where = `queue ${options.queue ?? "concurrency-lab"} on ${options.redis}`;
    console.log(`queue worker ${worker.lane}: ${where}, concurrency ${options.concurrency ?? 1} (Ctrl-C stops it)`);
  }
}

main().catch((err: Error & { code?: string }) => {
  const badArguments = err instanceof RangeError || err.code?.startsWith("ERR_PARSE_ARGS") === true;
  console.error(`${err.message}${badArguments ? `\n\n${USAGE}` : ""}`);
  process.exit(1);
});
