import { test } from "uvu";
import * as assert from "uvu/assert";
import { now, settleTimed, sleep } from "concurrency-lab";

test("settleTimed says how and when each promise settled, and never rejects", async () => {
  const t0 = now();
  const [ok, bad, odd] = await Promise.all([
    settleTimed(sleep(40).then(() => 7), t0),
    settleTimed(Promise.reject(new RangeError("no")), t0),
    settleTimed(Promise.reject("plain string"), t0),
  ]);
  assert.is(ok.status, "fulfilled");
  assert.is(ok.value, 7);
  assert.ok(ok.atMs >= 35, `settled at ${ok.atMs}`);
  assert.equal([bad.status, bad.error], ["rejected", "RangeError: no"]);
  assert.ok(bad.atMs < ok.atMs);
  assert.is(odd.error, "plain string");
});

test.run();
