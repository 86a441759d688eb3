/** timedSumOfSquares and timedTasks: the value of sumOfSquares plus the task's own timing. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ThreadPoolExecutor, sumOfSquares, threadCpuMs, timedSumOfSquares, timedTasks } from "concurrency-lab";

test("timedSumOfSquares returns the same value with its wall and CPU time", () => {
  const r = timedSumOfSquares(100_000);
  assert.is(r.value, sumOfSquares(100_000));
  assert.ok(r.ms >= 0);
  if (threadCpuMs() === null) assert.is(r.cpuMs, null);
  else assert.ok(r.cpuMs !== null && r.cpuMs >= 0);
});

test("timedTasks.sumOfSquares runs on a thread pool", async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  try {
    const runs = await pool.mapAll(timedTasks.sumOfSquares, [1000, 2000]);
    assert.equal(runs.map((r) => r.value), [sumOfSquares(1000), sumOfSquares(2000)]);
    for (const r of runs) assert.ok(r.ms >= 0 && (r.cpuMs === null || r.cpuMs >= 0));
  } finally {
    await pool.shutdown();
  }
});

test("threadCpuMs grows with work on this thread, or is null", () => {
  const a = threadCpuMs();
  sumOfSquares(2_000_000);
  const b = threadCpuMs();
  if (a === null) assert.is(b, null);
  else assert.ok(b! >= a, `${a} then ${b}`);
});

test.run();
