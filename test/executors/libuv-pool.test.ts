/**
 * libuvPoolDemo: a child process that shows libuv's thread pool. Checks only
 * what holds on any machine: the report's shape, the pool size, and that the
 * pool's threads appear after a file-system call, not after network I/O.
 * No wall-clock bound.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { libuvPoolDemo } from "concurrency-lab";

test("libuvPoolDemo reports threads, crypto jobs and the calls behind them", async () => {
  const r = await libuvPoolDemo({ poolSize: 2, jobMs: 20 });
  assert.is(r.poolSize, 2);
  assert.is(r.crypto.jobs, 2);
  assert.is(r.crypto.endsMs.length, 2);
  assert.ok(r.crypto.iterations >= 1000);
  assert.equal(r.ops.map((o) => o.usesPool), [false, true, true, true, true]);
  for (const o of r.ops) assert.ok(o.endMs >= 0, o.name);
  if (process.platform === "linux") {
    const { atStart, afterNetwork, afterFs } = r.threads;
    assert.ok(atStart !== null && afterNetwork !== null && afterFs !== null);
    assert.is(afterNetwork, atStart, "network I/O starts no thread");
    assert.is(afterFs! - afterNetwork!, 2, "the first fs call starts the pool's 2 threads");
  }
});

test("libuvPoolDemo checks its options", () => {
  assert.throws(() => libuvPoolDemo({ poolSize: 0 }), (e: unknown) => e instanceof RangeError && String(e).includes("poolSize"));
  assert.throws(() => libuvPoolDemo({ jobMs: -1 }), (e: unknown) => e instanceof RangeError && String(e).includes("jobMs"));
});

test.run();
