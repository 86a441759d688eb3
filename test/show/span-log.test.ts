import { test } from "uvu";
import * as assert from "uvu/assert";
import { spanLog, spanLogEvents, type Span } from "concurrency-lab";

const span = (lane: string, start: number, end: number): Span => ({ label: "job", lane, start, end, kind: "running" });

test("spanLogEvents lists starts and ends in time order, in seconds, without the main lane", () => {
  const events = spanLogEvents([span("thread 2", 500, 1500), span("thread 1", 0, 1500), span("main", 0, 2000)]);
  assert.equal(events, [
    { atS: 0, event: "thread 1 started" },
    { atS: 0.5, event: "thread 2 started" },
    { atS: 1.5, event: "thread 2 completed" },
    { atS: 1.5, event: "thread 1 completed" },
  ]);
});

test("spanLogEvents: a start comes before an end at the same instant; origin and skipLanes apply", () => {
  const events = spanLogEvents([span("a", 1000, 2000), span("b", 2000, 3000)], { origin: 1000, skipLanes: [] });
  assert.equal(events.map((e) => e.event), ["a started", "b started", "a completed", "b completed"]);
  assert.equal(events.map((e) => e.atS), [0, 1, 1, 2]);
  assert.throws(() => spanLogEvents("x" as never), TypeError);
});

test("spanLog prints an aligned table with three decimals", () => {
  const text = spanLog([span("pid 7", 0, 1234)]);
  assert.equal(text.split("\n").map((l) => l.trimEnd()), ["at (s)  event", "0.000   pid 7 started", "1.234   pid 7 completed"]);
});

test.run();
