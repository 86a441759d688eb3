// Values that cannot be copied to or from a worker: both pools answer with the same TypeError,
// naming the value and its position, and no thread or process is torn down.
import { MessageChannel } from "node:worker_threads";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { defineTask, ProcessPoolExecutor, tasks, ThreadPoolExecutor, type Executor } from "concurrency-lab";
import { rejection } from "../rejection";

const pools: [string, () => Executor, string][] = [
  ["ThreadPoolExecutor", () => new ThreadPoolExecutor({ maxWorkers: 1 }), "thread"],
  ["ProcessPoolExecutor", () => new ProcessPoolExecutor({ maxWorkers: 1 }), "process"],
];

const proxyResult = defineTask(() => new Proxy({ a: 1 }, {}));
const portResult = defineTask(() => {
  const { MessageChannel: Channel } = require("node:worker_threads");
  const { port1, port2 } = new Channel();
  port2.close();
  return { nested: [port1] };
});
const functionResult = defineTask(() => ({ callback: () => 1 }));

for (const [name, make, kind] of pools) {
  const test = suite(`${name}: values that cannot be copied`);
  let pool: Executor;
  let lanes: string[];
  test.before.each(async () => {
    pool = make();
    await pool.submit(tasks.echo, 1); // one live worker
    lanes = pool.lanes;
  });
  test.after.each(async () => {
    assert.equal(pool.lanes, lanes, "the worker was not torn down");
    assert.is(await pool.submit(tasks.echo, 7), 7, "and it still serves");
    await pool.shutdown();
  });

  test("a Proxy argument: TypeError naming the argument", async () => {
    const error = await rejection(pool.submit(tasks.echo, new Proxy({ a: 1 }, {})));
    assert.instance(error, TypeError);
    assert.is(error.message.startsWith(`echo cannot be sent to a worker ${kind}: argument 1 (args[0]) is a Proxy`), true, error.message);
  });

  test("a MessagePort nested in an argument: its path is named", async () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const error = await rejection(pool.submit(tasks.echo, { ports: [port1] }));
      assert.instance(error, TypeError);
      assert.match(error.message, /argument 1 \(args\[0\]\.ports\[0\]\) is a MessagePort/);
    } finally {
      port1.close();
      port2.close();
    }
  });

  test("a function argument in map: the item is named", async () => {
    const error = await rejection(pool.mapAll(tasks.echo, [1, 2, () => 3]));
    assert.instance(error, TypeError);
    assert.match(error.message, /item 2 \(items\[2\]\) is a function/);
  });

  test("a Proxy result: TypeError naming the result", async () => {
    const error = await rejection(pool.submit(proxyResult));
    assert.instance(error, TypeError);
    assert.match(error.message, /returned a value that cannot be sent back from (thread|pid) \d+: the result is a Proxy/);
  });

  test("a MessagePort inside a result: its path is named", async () => {
    const error = await rejection(pool.submit(portResult));
    assert.instance(error, TypeError);
    assert.match(error.message, /the result\.nested\[0\] is a MessagePort/);
  });

  test("a function inside a result of map: the item is named", async () => {
    const error = await rejection(pool.mapAll(functionResult, [1]));
    assert.instance(error, TypeError);
    assert.match(error.message, /the result\.callback is a function/);
  });

  test.run();
}
