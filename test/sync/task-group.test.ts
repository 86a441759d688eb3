/** taskGroup: all values in order; on the first failure the others are aborted and awaited. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sleep, taskGroup, TaskGroupError } from "concurrency-lab";

test("taskGroup resolves with every value in order", async () => {
  const values = await taskGroup([async () => 1, (signal) => sleep(5, { signal }).then(() => 2), () => 3]);
  assert.equal(values, [1, 2, 3]);
});

test("the first failure aborts the others, and the group waits for them", async () => {
  const events: string[] = [];
  const slow = async (signal: AbortSignal) => {
    try {
      await sleep(10_000, { signal });
      events.push("slow finished");
    } catch (e) {
      events.push("slow aborted");
      throw e;
    }
  };
  const fails = async () => {
    await sleep(5);
    throw new Error("boom");
  };
  try {
    await taskGroup([slow, fails, slow]);
    assert.unreachable("the group must reject");
  } catch (e) {
    assert.instance(e, TaskGroupError);
    const errors = (e as TaskGroupError).errors;
    assert.is(errors.length, 1, "only the real failure, not the aborts it caused");
    assert.is((errors[0] as Error).message, "boom");
  }
  assert.equal(events, ["slow aborted", "slow aborted"], "both were aborted before the group settled");
});

test("a synchronous throw is a failure too, and bad input is a TypeError", async () => {
  try {
    await taskGroup([() => { throw new RangeError("sync"); }]);
    assert.unreachable();
  } catch (e) {
    assert.instance((e as TaskGroupError).errors[0], RangeError);
  }
  try {
    await taskGroup([42 as unknown as () => number]);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, TypeError);
  }
});

test.run();
