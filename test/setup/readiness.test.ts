import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkReadiness, nodeLineRow, TESTED_NODE_LINES } from "concurrency-lab";

test("nodeLineRow: too old, runs but untested, tested", () => {
  const old = nodeLineRow("18.20.0");
  assert.equal([old.ok, old.required], [false, true]);
  assert.match(old.detail, /too old/);
  const eol = nodeLineRow("20.19.0");
  assert.equal([eol.ok, eol.required], [false, false]);
  assert.match(eol.detail, /runs, but the kit is tested on/);
  for (const line of TESTED_NODE_LINES) {
    const r = nodeLineRow(`${line}.1.0`);
    assert.ok(r.ok, `${line} should be a tested line`);
  }
});

test("checkReadiness: threads and processes answer; the verdict follows the required rows", async () => {
  const r = await checkReadiness({ ...(await import("concurrency-lab")).machineInfo(), cores: 1, python3: null });
  const row = (name: string) => r.rows.find((x) => x.check === name)!;
  assert.ok(row("worker thread").ok, row("worker thread").detail);
  assert.ok(row("child process").ok, row("child process").detail);
  assert.match(row("worker thread").detail, /"hello" from thread/);
  assert.not.ok(row("cores").ok);
  assert.not.ok(row("python3").ok);
  const requiredOk = r.rows.filter((x) => x.required).every((x) => x.ok);
  assert.is(r.ready, requiredOk);
  assert.match(r.verdict, requiredOk ? /^ready/ : /^not ready/);
  assert.match(r.verdict, /optional pieces missing or untested: .*python3.*cores/);
});

test.run();
