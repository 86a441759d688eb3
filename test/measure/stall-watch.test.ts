/** timedWithStall: wall, CPU and event-loop stall of one piece of work. No wall-clock bound. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFile } from "node:child_process";
import { timedWithStall, StallLog } from "concurrency-lab";

test("returns the work's value with non-negative wall, CPU and stall figures", async () => {
  const r = await timedWithStall(async () => 42);
  assert.is(r.value, 42);
  for (const k of ["wallMs", "cpuMs", "stallMs"] as const) assert.ok(r[k] >= 0, k);
});

test("a synchronous block shows as a stall of a good part of the work's time", async () => {
  const r = await timedWithStall(() => {
    const end = performance.now() + 60;
    while (performance.now() < end) { /* busy on the main thread */ }
  });
  assert.ok(r.wallMs >= 59, `work took ${r.wallMs} ms`);
  assert.ok(r.stallMs >= r.wallMs / 2, `stall ${r.stallMs} against work ${r.wallMs}`);
});

test("work that throws rejects", async () => {
  try {
    await timedWithStall(() => { throw new Error("boom"); });
    assert.unreachable();
  } catch (e) {
    assert.match(String(e), /boom/);
  }
  try {
    await timedWithStall(42 as never);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, TypeError);
  }
});

test("StallLog keeps each name's stalls and gives their medians in first-seen order", async () => {
  const log = new StallLog();
  const block = log.watch("block", () => {
    const end = Date.now() + 30;
    while (Date.now() < end) { /* busy */ }
    return 7;
  });
  const idle = log.watch("idle", async () => 8);
  assert.is((await block()).value, 7);
  assert.is((await idle()).value, 8);
  await block();
  const rows = log.rows();
  assert.equal(rows.map((r) => r.label), ["block", "idle"]);
  assert.ok(rows[0]!.value >= rows[1]!.value);
  assert.throws(() => log.watch("", () => 1), (e: unknown) => e instanceof TypeError);
});

test("CPU of a child process started by the work is counted (Linux /proc)", async () => {
  if (process.platform !== "linux") return;
  const r = await timedWithStall(() => new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ["-e", "let s = 0; for (let i = 0; i < 1e8; i++) s += i; console.log(s)"],
      (e) => (e ? reject(e) : resolve()))));
  assert.ok(r.cpuMs >= 20, `a 1e8-step loop in a child used ${r.cpuMs} ms of CPU by this count`);
});

test.run();
