import { test } from "uvu";
import * as assert from "uvu/assert";
import { Timeline, blockingSleep, sleep, watchEventLoop } from "concurrency-lab";

test("watchEventLoop marks the stretch where the loop was blocked, and only that", async () => {
  const timeline = new Timeline();
  const watch = watchEventLoop(timeline, { lane: "loop" });
  await sleep(60);
  blockingSleep(150);
  await sleep(60);
  const report = watch.stop();
  assert.ok(report.maxGapMs >= 140, `maxGapMs ${report.maxGapMs}`);
  assert.ok(report.blockedMs >= 100 && report.blockedMs <= 400, `blockedMs ${report.blockedMs}`);
  assert.ok(report.ticks >= 5, `ticks ${report.ticks}`);
  const spans = timeline.spans();
  assert.ok(spans.every((s) => s.lane === "loop" && s.end >= s.start));
  const longest = Math.max(...spans.filter((s) => s.kind === "blocked").map((s) => s.end - s.start));
  assert.ok(longest >= 100, `longest blocked span ${longest}`);
  assert.ok(spans.some((s) => s.kind === "idle"), "free stretches are drawn too");
  assert.is(watch.stop(), report, "stop() is idempotent");
  assert.is(timeline.spans().length, spans.length, "a second stop() adds nothing");
});

test("watchEventLoop on a free loop reports no long block and checks its options", async () => {
  const watch = watchEventLoop(new Timeline());
  await sleep(80);
  // Generous: a shared machine can delay one tick now and then, but not by 150 ms.
  assert.ok(watch.stop().maxGapMs < 150);
  assert.throws(() => watchEventLoop(new Timeline(), { periodMs: 0 }), (e: Error) => e instanceof RangeError && /periodMs/.test(e.message));
  assert.throws(() => watchEventLoop(new Timeline(), { toleranceMs: -1 }), (e: Error) => e instanceof RangeError && /toleranceMs/.test(e.message));
});

test.run();
