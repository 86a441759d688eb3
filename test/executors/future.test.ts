import { test } from "uvu";
import * as assert from "uvu/assert";
import { CancelledError, Future, InvalidStateError, asCompleted } from "concurrency-lab";

test("cancel succeeds only while pending, and rejects with CancelledError", async () => {
  let dropped = 0;
  const f = new Future<number>("job", () => dropped++);
  assert.is(f.state, "pending");
  assert.ok(f.cancel());
  assert.ok(f.cancel(), "cancelling again still reports cancelled");
  assert.is(dropped, 1, "the executor is told once");
  assert.ok(f.done && f.cancelled);
  assert.instance(await f.catch((e) => e), CancelledError);
  assert.throws(() => f.result(), (e: unknown) => e instanceof CancelledError);
  assert.throws(() => f.exception(), (e: unknown) => e instanceof CancelledError, "Python raises CancelledError from exception() too");

  const running = new Future<number>("job");
  assert.ok(running.markRunning());
  assert.not(running.cancel());
  running.settle({ ok: true, value: 7 });
  assert.is(await running, 7);
  assert.not(running.cancel());
});

test("result() and exception() need a finished future", () => {
  const f = new Future<string>("job");
  assert.throws(() => f.result(), (e: unknown) => e instanceof InvalidStateError);
  assert.throws(() => f.exception(), (e: unknown) => e instanceof InvalidStateError);
  const boom = new Error("boom");
  f.settle({ ok: false, error: boom });
  f.settle({ ok: true, value: "late" }); // ignored: a future settles once
  assert.is(f.exception(), boom);
  assert.throws(() => f.result(), /boom/);
});

test("an error nobody awaits does not become an unhandled rejection", async () => {
  const unhandled: unknown[] = [];
  const listener = (e: unknown) => unhandled.push(e);
  process.on("unhandledRejection", listener);
  new Future<number>("ignored").settle({ ok: false, error: new Error("nobody looks") });
  new Future<number>("ignored").cancel();
  await new Promise((r) => setTimeout(r, 20));
  process.off("unhandledRejection", listener);
  assert.equal(unhandled, []);
});

test("asCompleted yields the futures themselves, in completion order, failures included", async () => {
  const [a, b, c] = ["a", "b", "c"].map((label) => new Future<string>(label)) as [Future<string>, Future<string>, Future<string>];
  setTimeout(() => a.settle({ ok: true, value: "A" }), 60);
  setTimeout(() => b.settle({ ok: false, error: new Error("B failed") }), 10);
  c.settle({ ok: true, value: "C" });
  const seen: string[] = [];
  for await (const f of asCompleted([a, b, c, a])) {
    seen.push(f.exception() === undefined ? f.result() : `${f.label}!`);
  }
  assert.equal(seen, ["C", "b!", "A"]);
});

test.run();
