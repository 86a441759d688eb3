import { test } from "uvu";
import * as assert from "uvu/assert";
import { clearResults, experiment, noPhysicalBound, summaryRows } from "concurrency-lab";
import { fakeLab } from "./fake-lab";

test("noPhysicalBound: an explicit 'none' with its reason, kept in the ratio and the summary", async () => {
  assert.throws(() => noPhysicalBound(""), /say why/);
  clearResults();
  const lab = fakeLab();
  const e = await experiment({
    id: "mechanisms", question: "A promise hop against a thread round trip", probes: lab.probes,
    variants: { thread: lab.variant("t", [20]), promise: lab.variant("p", [0.05]) },
    bounds: { promise: noPhysicalBound("two different mechanisms") },
  });
  const r = e.ratios[0]!;
  assert.is(r.bound?.unbounded, true);
  assert.is(r.ceiling, null);
  assert.not.ok(r.suspect);
  const row = summaryRows().find((x) => String(x.variant) === "promise")!;
  assert.match(String(row.bound), /none \(no physical bound\)/);
});

test("a bound with a limit and 'unbounded' together is refused", async () => {
  const lab = fakeLab();
  try {
    await experiment({
      id: "bad", question: "q", probes: lab.probes,
      variants: { a: lab.variant("a", [1]), b: lab.variant("b", [1]) },
      bounds: { b: { unbounded: true, ceiling: 2, why: "x" } },
    });
    assert.unreachable("should have thrown");
  } catch (err) {
    assert.match(String(err), /unbounded and has a limit/);
  }
});

test.run();
