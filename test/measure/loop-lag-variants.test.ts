import { test } from "uvu";
import * as assert from "uvu/assert";
import { blockingSleep, sleep, withLoopLag } from "concurrency-lab";

test("withLoopLag records the loop's stall of each run and passes values through", async () => {
  const { variants, lagMs } = withLoopLag({
    blocked: async () => {
      blockingSleep(80);
      return 1;
    },
    free: async () => {
      await sleep(80);
      return { wallMs: 5 };
    },
  });
  assert.is(await variants.blocked(), 1);
  assert.equal(await variants.free(), { wallMs: 5 });
  await variants.blocked();
  assert.is(lagMs.blocked.length, 2);
  assert.is(lagMs.free.length, 1);
  assert.ok(lagMs.blocked.every((ms) => ms >= 60), `blocked stalls ${lagMs.blocked}`);
  assert.ok(lagMs.free[0] < lagMs.blocked[0], `free ${lagMs.free[0]} < blocked ${lagMs.blocked[0]}`);
});

test("withLoopLag records a stall even when the variant throws, and checks its input", async () => {
  const { variants, lagMs } = withLoopLag({ bad: () => { throw new Error("boom"); } });
  await variants.bad().then(() => assert.unreachable(), (e: Error) => assert.is(e.message, "boom"));
  assert.is(lagMs.bad.length, 1);
  assert.throws(() => withLoopLag({}), RangeError);
  assert.throws(() => withLoopLag({ x: 1 as never }), TypeError);
});

test.run();
