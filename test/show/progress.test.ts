import { test } from "uvu";
import * as assert from "uvu/assert";
import { progress, sleep } from "concurrency-lab";
import { withFakeKernel } from "./fake-kernel";

test("in a kernel, progress updates one output in place, throttled", async () => {
  const outputs = await withFakeKernel(async () => {
    const bar = progress(50, "downloads");
    for (let i = 0; i < 50; i++) {
      bar.tick();
      if (i % 10 === 9) await sleep(110); // past the redraw interval: one redraw per 10 ticks
    }
    assert.is(bar.count, 50);
    bar.done();
    bar.done();
  });
  assert.ok(outputs.length >= 3 && outputs.length <= 12, `a few redraws for 50 ticks, got ${outputs.length}`);
  const ids = new Set(outputs.map((o) => o.transient.display_id));
  assert.is(ids.size, 1, "one display id: the same output");
  assert.is(outputs[0].update, false, "first draw creates the output");
  assert.ok(outputs.slice(1).every((o) => o.update), "later draws replace it");
  const last = outputs[outputs.length - 1].data;
  assert.match(String(last["text/plain"]), /^downloads \[█{30}\] 50\/50 100% \d+\.\d s$/);
  assert.match(String(last["text/html"]), /<progress value="50" max="50"/);
});

test("outside a kernel and a terminal, progress prints the final state once", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    const bar = progress(4, "steps");
    bar.tick(2);
    bar.tick(5); // clamps at total
    bar.done();
  } finally {
    console.log = log;
  }
  if (process.stdout.isTTY) return; // a terminal gets the updating line instead
  assert.is(printed.length, 1);
  assert.match(printed[0], /^steps \[█{30}\] 4\/4 100%/);
});

test("progress rejects bad totals and ticks, naming the argument", () => {
  assert.throws(() => progress(0, "x"), (e: unknown) => e instanceof RangeError && /total/.test(String(e)));
  assert.throws(() => progress(2.5, "x"), (e: unknown) => e instanceof TypeError && /total/.test(String(e)));
  const bar = progress(3, "x");
  assert.throws(() => bar.tick(-1), (e: unknown) => e instanceof RangeError && /\bn\b/.test(String(e)));
  assert.throws(() => bar.tick(NaN), (e: unknown) => e instanceof RangeError && /\bn\b/.test(String(e)));
});

test.run();
