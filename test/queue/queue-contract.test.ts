// The executors' shared contract, run against QueueExecutor where the semantics match.
// The tests it skips cover behaviour that differs on purpose; queue-executor.test.ts tests that behaviour.
import { suite, type Test } from "uvu";
import { QueueExecutor, startRedis, type Executor, type RedisServer } from "concurrency-lab";
import { executorContract } from "../executors/executor-contract";
import { redisOrSkip } from "./queue-helpers";

/** Contract tests whose behaviour differs for a queue, and why. */
export const DIFFERENT_FOR_A_QUEUE: Record<string, string> = {
  "bad options throw RangeError naming the option": "maxWorkers: 0 is valid (workers elsewhere); options are tested in queue-executor.test.ts",
  "cancel succeeds only while queued": "jobs wait in Redis while the workers start; cancel while waiting is tested in queue-executor.test.ts",
  "a worker that exits mid-task fails only that task, naming the worker and exit code; the pool keeps serving":
    "at least once: the job is run again by another worker after its lock expires (tested in queue-executor.test.ts)",
  "a timeout stops the task and replaces the worker": "a queue cannot stop a running job: timeoutMs only stops the waiting",
  "an AbortSignal cancels a queued task and stops a running one": "a running job cannot be stopped: the signal only cancels a waiting job",
  "shutdown: idempotent, then submit rejects; cancelFutures cancels what has not started; no worker remains":
    "counts workers 50 ms after creation, before worker processes can start; shutdown is tested in queue-executor.test.ts",
};

const contract = suite("QueueExecutor: executor contract");
let redis: RedisServer | undefined;
const available = redisOrSkip("the queue contract");

contract.before(async () => {
  if (available) redis = await startRedis({ url: null });
});
contract.after(async () => {
  await redis?.close();
});

/** The suite, with the tests that differ (or all, without Redis) registered as skipped. */
const filtered = ((name: string, fn: Parameters<Test>[1]) => {
  if (!available || name in DIFFERENT_FOR_A_QUEUE) contract.skip(name, fn);
  else contract(name, fn);
}) as unknown as Test;

executorContract(
  filtered,
  (opts) => new QueueExecutor({ redis: redis!, maxWorkers: opts?.maxWorkers ?? 2, timeline: opts?.timeline }) as unknown as Executor,
  /^pid \d+$/,
);

contract.run();
