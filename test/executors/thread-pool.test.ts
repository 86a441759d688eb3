import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ThreadPoolExecutor, tasks } from "concurrency-lab";
import { executorContract } from "./executor-contract";
import { endsByItself } from "./executor-process-helpers";

const threads = suite("ThreadPoolExecutor");
executorContract(threads, (opts) => new ThreadPoolExecutor(opts), /^thread \d+$/);

threads("runs CPU work on several threads at once", async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  await Promise.all([1, 2].map(() => pool.submit(tasks.blockingSleep, 50))); // both threads started
  const futures = [1, 2].map(() => pool.submit(tasks.sumOfSquares, 1e8));
  await Promise.all(futures);
  await pool.shutdown();
  const [a, b] = futures.map((f) => f.span!);
  assert.is.not(a!.lane, b!.lane);
  assert.ok(a!.start < b!.end && b!.start < a!.end, "the two spans overlap");
});

threads("a script that forgets shutdown still ends (idle threads do not hold the process)", async () => {
  await endsByItself("ThreadPoolExecutor");
});

threads.run();
