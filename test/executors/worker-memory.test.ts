/** measureWorkerMemory: four rows, named measures, nothing left running. No size bound. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { measureWorkerMemory } from "concurrency-lab";

test("one row per kind of worker, with the measure named", async () => {
  const rows = await measureWorkerMemory({ threads: 2 });
  assert.equal(rows.map((r) => r.worker), ["bare worker thread", "pool worker thread", "bare child process", "pool child process"]);
  for (const r of rows) {
    assert.ok(Number.isFinite(r.mib), r.worker);
    assert.ok(r.measure === "PSS" || r.measure === "RSS");
  }
  assert.ok(rows[2]!.mib > 0 && rows[3]!.mib > 0, "a process holds memory of its own");
});

test("bad thread counts are refused", async () => {
  for (const threads of [0, 1.5, 65]) {
    try {
      await measureWorkerMemory({ threads });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, RangeError);
    }
  }
});

test.run();
