import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProcessPoolExecutor, ThreadPoolExecutor, Timeline, defineTask, mapWith, tasks } from "concurrency-lab";

test("mapWith gives the same results in input order with either class, timed with start-up and shutdown", async () => {
  for (const Pool of [ThreadPoolExecutor, ProcessPoolExecutor]) {
    const timeline = new Timeline();
    const run = await mapWith(Pool, tasks.sumOfSquares, [10, 100, 1000], { maxWorkers: 2, timeline });
    assert.equal(run.results, [285, 328350, 332833500]);
    assert.ok(run.wallMs > 0);
    assert.is(timeline.spans().length, 3);
  }
});

test("mapWith shuts the pool down when a task fails, and refuses other classes", async () => {
  const fail = defineTask((x: number) => { if (x === 2) throw new Error("two"); return x; }, "failOnTwo");
  await mapWith(ThreadPoolExecutor, fail, [1, 2, 3]).then(() => assert.unreachable(), (e: Error) => assert.is(e.message, "two"));
  await mapWith(Map as never, tasks.echo, [1]).then(() => assert.unreachable(), (e: Error) => assert.instance(e, TypeError));
});

test.run();
