/** watchRejections: records unhandledRejection / rejectionHandled in order, and restores the listeners. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sleep, watchRejections } from "concurrency-lab";

test("a late handler: unhandledRejection, then the mark, then rejectionHandled", async () => {
  const before = process.listeners("unhandledRejection").length;
  const { value, log } = await watchRejections(async (mark) => {
    const task = Promise.reject(new Error("early"));
    await sleep(5);
    mark("await now");
    await task.catch(() => undefined);
    return 7;
  });
  assert.is(value, 7);
  assert.equal(log.map((e) => e.what.split(":")[0]), ["unhandledRejection", "await now", "rejectionHandled"]);
  assert.ok(log.every((e, i) => i === 0 || e.atMs >= log[i - 1].atMs));
  assert.is(process.listeners("unhandledRejection").length, before);
});

test("a handler at creation: no event at all", async () => {
  const { log } = await watchRejections(async (mark) => {
    const task = Promise.reject(new Error("handled"));
    task.catch((e: Error) => mark(`logged: ${e.message}`));
    await sleep(5);
  });
  assert.equal(log.map((e) => e.what), ["logged: handled"]);
});

test("listeners come back when fn throws", async () => {
  const before = process.listeners("unhandledRejection").length;
  try {
    await watchRejections(() => {
      throw new Error("fn failed");
    });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, "fn failed");
  }
  assert.is(process.listeners("unhandledRejection").length, before);
});

test.run();
