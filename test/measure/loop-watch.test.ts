import { test } from "uvu";
import * as assert from "uvu/assert";
import { Timeline, blockingSleep, now, sleep, watchEventLoop } from "concurrency-lab";

test("watchEventLoop marks the stretch where the loop was blocked, and only that", async () => {
  const timeline = new Timeline();
  const watch = watchEventLoop(timeline, { lane: "loop" });
  await sleep(60);
  const blockStart = now();
  blockingSleep(150);
  const blockEnd = now();
  await sleep(60);
  const report = watch.stop();
  // Lower bounds only: a busy machine can stretch any gap, never shorten the 150 ms block.
  assert.ok(report.maxGapMs >= 140, `maxGapMs ${report.maxGapMs}`);
  assert.ok(report.blockedMs >= 100, `blockedMs ${report.blockedMs}`);
  assert.ok(report.ticks >= 5, `ticks ${report.ticks}`);
  const spans = timeline.spans();
  assert.ok(spans.every((s) => s.lane === "loop" && s.end >= s.start));
  const longest = Math.max(...spans.filter((s) => s.kind === "blocked").map((s) => s.end - s.start));
  assert.ok(longest >= 100, `longest blocked span ${longest}`);
  // The longest blocked stretch (on the shared clock) overlaps the blockingSleep call.
  const [start, end] = report.blocked.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
  assert.ok(start < blockEnd && end > blockStart, `blocked ${start}..${end}, blockingSleep ${blockStart}..${blockEnd}`);
  assert.ok(spans.some((s) => s.kind === "idle"), "free stretches are drawn too");
  assert.is(watch.stop(), report, "stop() is idempotent");
  assert.is(timeline.spans().length, spans.length, "a second stop() adds nothing");
});

test("watchEventLoop on a free loop keeps ticking, and checks its options", async () => {
  const watch = watchEventLoop(new Timeline());
  await sleep(80);
  // How small the gaps of a free loop are depends on the machine's load: not asserted here.
  const report = watch.stop();
  assert.ok(report.ticks >= 1 && Number.isFinite(report.maxGapMs), JSON.stringify(report));
  assert.throws(() => watchEventLoop(new Timeline(), { periodMs: 0 }), (e: Error) => e instanceof RangeError && /periodMs/.test(e.message));
  assert.throws(() => watchEventLoop(new Timeline(), { toleranceMs: -1 }), (e: Error) => e instanceof RangeError && /toleranceMs/.test(e.message));
});

test.run();
