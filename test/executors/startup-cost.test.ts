/** bareStart, poolFirstResult, runOnFreshPool: shapes and clean-up. No wall-clock bound. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bareStart, poolFirstResult, runOnFreshPool, ThreadPoolExecutor, ProcessPoolExecutor, tasks } from "concurrency-lab";

test("bareStart reports a positive start-up for a thread and a process", async () => {
  for (const kind of ["thread", "process"] as const) assert.ok((await bareStart(kind)).wallMs > 0, kind);
});

test("poolFirstResult times a pool to its first answer and shuts it down", async () => {
  let made: ThreadPoolExecutor | ProcessPoolExecutor | undefined;
  const r = await poolFirstResult(() => (made = new ProcessPoolExecutor({ maxWorkers: 1 })));
  assert.ok(r.wallMs > 0);
  assert.equal(made!.lanes, [], "no child left");
});

test("runOnFreshPool runs every call, reports each start delay, and ends the pool", async () => {
  const run = await runOnFreshPool(() => new ThreadPoolExecutor({ maxWorkers: 3 }), tasks.blockingSleep,
    [[10], [10], [10]] as [number][]);
  assert.is(run.startDelaysMs.length, 3);
  for (const d of run.startDelaysMs) assert.ok(d >= 0);
  assert.ok(run.wallMs >= 10, "at least one 10 ms sleep");
});

test.run();
