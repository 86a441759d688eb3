import { test } from "uvu";
import * as assert from "uvu/assert";
import { asyncTaskCosts, workerCosts } from "concurrency-lab";

test("workerCosts measures start-up and memory per worker for threads and processes", async () => {
  for (const kind of ["thread", "process"] as const) {
    const c = await workerCosts(kind, 2);
    assert.is(c.kind, kind);
    assert.is(c.workers, 2);
    assert.ok(c.startupMs > 0, `${kind} start-up ${c.startupMs}`);
    assert.ok(c.mbPerWorker >= 0 && Number.isFinite(c.mbPerWorker), `${kind} ${c.mbPerWorker} MiB`);
    if (process.platform === "linux") assert.is(c.measure, "PSS");
  }
  const proc = await workerCosts("process", 1);
  assert.ok(proc.mbPerWorker > 1, "a child process holds at least a megabyte of its own");
  await workerCosts("fibre" as never).then(() => assert.unreachable(), (e: Error) => assert.instance(e, TypeError));
});

test("asyncTaskCosts gives a time and a heap size per pending task", async () => {
  const a = await asyncTaskCosts(1000);
  assert.is(a.count, 1000);
  assert.ok(a.startupUs > 0 && a.bytesPerTask >= 0);
  await asyncTaskCosts(1).then(() => assert.unreachable(), (e: Error) => assert.instance(e, RangeError));
});

test.run();
