import { test } from "uvu";
import * as assert from "uvu/assert";
import { ThreadPoolExecutor, defineTask } from "concurrency-lab";
import { compileTaskSource } from "concurrency-lab/dist/executors/define-task";
import { runTaskCall } from "concurrency-lab/dist/executors/task-runner";

test("defineTask ships the source; the worker compiles it", () => {
  const square = defineTask(function square(x: number) { return x * x; });
  assert.is(square.name, "square");
  assert.match(square.source!, /x \* x/);
  assert.is(compileTaskSource(square.source!, "square")(7), 49);
  assert.is(defineTask((a: number, b: number) => a + b, "add").name, "add");
});

test("method shorthand and async functions work", async () => {
  const obj = { triple(x: number) { return 3 * x; } };
  assert.is(compileTaskSource(defineTask(obj.triple).source!, "triple")(2), 6);
  const later = defineTask(async (x: number) => x + 1);
  const reply = await runTaskCall({ module: later.module, name: later.name, source: later.source, argsList: [[1]] });
  assert.ok(reply.ok && reply.values[0] === 2);
});

test("things without shippable source are refused at definition time", () => {
  assert.throws(() => defineTask(Math.max), /built-in or bound function/);
  assert.throws(() => defineTask(((x: number) => x).bind(null)), /built-in or bound function/);
  assert.throws(() => defineTask(class A {} as unknown as () => void), /got a class/);
  assert.throws(() => defineTask(42 as unknown as () => void), (e: unknown) => e instanceof TypeError);
});

test("a function that uses an outside variable fails with an explanation", async () => {
  const factor = 3;
  const triple = defineTask((x: number) => x * factor);
  const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
  const error = (await pool.submit(triple, 2).catch((e) => e)) as Error;
  await pool.shutdown();
  assert.instance(error, ReferenceError);
  assert.match(error.message, /factor is not defined in the worker \(thread \d+\)/);
  assert.match(error.message, /does not share the notebook's memory/);
  assert.match(error.message, /pass its value as an argument/);
});

test("a function may require() modules inside itself", async () => {
  const cores = defineTask(() => require("node:os").availableParallelism() as number);
  const reply = await runTaskCall({ module: cores.module, name: cores.name, source: cores.source, argsList: [[]] });
  assert.ok(reply.ok && typeof reply.values[0] === "number");
});

test("a name from another notebook cell (compiled as exports.name) is named in the explanation", async () => {
  const { explainMissingVariable } = await import("concurrency-lab/dist/executors/define-task");
  const e = explainMissingVariable(new ReferenceError("exports is not defined"), "countRange", "pid 1",
    "(r) => (0, exports.countPrimesIn)(r[0], r[1])");
  assert.match(e.message, /^countPrimesIn \(a name from another notebook cell, which the compiled cell reads as exports\.countPrimesIn\) is not defined in the worker \(pid 1\)/);
  assert.match(e.message, /Define countPrimesIn inside the function/);
});

test.run();
