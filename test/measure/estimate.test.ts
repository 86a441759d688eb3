/** scaledEstimate: runs the sample only, scales, says how. No wall-clock bound. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { scaledEstimate } from "concurrency-lab";

test("runs the work `sample` times and labels the scaling", async () => {
  let calls = 0;
  const r = await scaledEstimate(() => { calls++; }, { sample: 5, total: 100 });
  assert.is(calls, 5);
  assert.is(r.estimate, "5 of 100 runs timed, × 20");
  assert.ok(r.wallMs >= 0);
});

test("bad sizes are refused", async () => {
  for (const opts of [{ sample: 0, total: 5 }, { sample: 5, total: 4 }, { sample: 1.5, total: 5 }]) {
    try {
      await scaledEstimate(() => undefined, opts);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, RangeError);
    }
  }
});

test.run();
