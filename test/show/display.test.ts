/**
 * The display bridge: one output with every MIME type in a kernel, an output
 * updated in place by LiveDisplay, and text/plain on stdout outside a kernel.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LiveDisplay, displayBundle, inKernel } from "concurrency-lab";
import { withFakeKernel } from "./fake-kernel";

/** What `fn` writes with console.log. */
function logged(fn: () => void): string[] {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines;
}

test("in a kernel, a bundle is one output carrying every representation", async () => {
  let seen = false;
  const outputs = await withFakeKernel(() => {
    seen = inKernel();
    displayBundle({ "text/html": "<b>hi</b>", "text/plain": "hi" });
  });
  assert.ok(seen);
  assert.is(outputs.length, 1);
  assert.equal(outputs[0].data, { "text/html": "<b>hi</b>", "text/plain": "hi" });
  assert.is(outputs[0].update, false);
});

test("LiveDisplay shows once, then updates the same output in place", async () => {
  const outputs = await withFakeKernel(() => {
    const live = new LiveDisplay();
    for (let i = 1; i <= 3; i++) live.update({ "text/plain": `step ${i}/3` });
    live.close();
  });
  assert.equal(outputs.map((o) => o.update), [false, true, true]);
  assert.is(new Set(outputs.map((o) => o.transient.display_id)).size, 1);
  assert.is(outputs[2].data["text/plain"], "step 3/3");
});

test("outside a kernel: text/plain is printed, an empty bundle is refused", () => {
  assert.is(inKernel(), false);
  assert.equal(logged(() => displayBundle({ "text/html": "<b>hi</b>", "text/plain": "hi" })), ["hi"]);
  assert.throws(() => displayBundle({}), /bundle is empty/);
  if (!process.stdout.isTTY) {
    const live = new LiveDisplay();
    assert.equal(logged(() => {
      live.update({ "text/plain": "step 1" });
      live.update({ "text/plain": "step 2" });
      live.close();
    }), ["step 2"], "without a TTY only the final state is printed");
  }
});

test.run();
