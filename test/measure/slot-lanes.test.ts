import { test } from "uvu";
import * as assert from "uvu/assert";
import { laneBySlot, slotsOf, type Span } from "concurrency-lab";

test("slotsOf reuses the first free slot and opens a new one only for overlaps", () => {
  assert.equal(slotsOf([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 10, end: 20 }]), [0, 1, 0]);
  // Three waves of two: two slots, in the input's order even when the input is not sorted.
  const waves = [20, 0, 10, 0, 20, 10].map((start) => ({ start, end: start + 10 }));
  const slots = slotsOf(waves);
  assert.equal(new Set(slots).size, 2);
  assert.equal(slots, [0, 0, 0, 1, 1, 1]);
  assert.equal(slotsOf([]), []);
});

test("slotsOf refuses bad intervals", () => {
  assert.throws(() => slotsOf([{ start: 5, end: 1 }]), RangeError);
  assert.throws(() => slotsOf([{ start: NaN, end: 1 }]), RangeError);
  assert.throws(() => slotsOf("x" as never), TypeError);
});

test("laneBySlot renames lanes and keeps everything else", () => {
  const spans: Span[] = [
    { label: "a", lane: "downloads", start: 0, end: 10, kind: "io" },
    { label: "b", lane: "downloads", start: 2, end: 8, kind: "io" },
  ];
  assert.equal(laneBySlot(spans, "slot"), [
    { label: "a", lane: "slot 1", start: 0, end: 10, kind: "io" },
    { label: "b", lane: "slot 2", start: 2, end: 8, kind: "io" },
  ]);
  assert.is(spans[0].lane, "downloads", "the input is not changed");
});

test.run();
