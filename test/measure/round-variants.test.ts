import { test } from "uvu";
import * as assert from "uvu/assert";
import { roundVariants } from "concurrency-lab";

test("the first variant runs the round; every variant reads its own report from it", async () => {
  let calls = 0;
  const variants = roundVariants(async () => ({ round: ++calls }), {
    a: (r) => ({ wallMs: 10 * r.round, cpuMs: 1 }),
    b: (r) => ({ wallMs: 20 * r.round, cpuMs: 5 }),
  });
  assert.equal(Object.keys(variants), ["a", "b"]);
  for (let round = 1; round <= 2; round++) {
    assert.equal(await variants.a(), { wallMs: 10 * round, cpuMs: 1 });
    assert.equal(await variants.b(), { wallMs: 20 * round, cpuMs: 5 });
  }
  assert.is(calls, 2);
});

test("roundVariants checks its arguments and the order of calls", async () => {
  assert.throws(() => roundVariants("x" as never, { a: () => ({ wallMs: 1, cpuMs: 1 }) }), TypeError);
  assert.throws(() => roundVariants(async () => 1, {}), RangeError);
  const v = roundVariants(async () => 1, { a: () => ({ wallMs: 1, cpuMs: 1 }), b: () => ({ wallMs: 1 }) });
  await v.b().then(() => assert.unreachable("b before a"), (e: Error) => assert.match(e.message, /ran before "a"/));
  await v.a();
  await v.b().then(() => assert.unreachable("no cpuMs"), (e: Error) => assert.instance(e, TypeError));
});

test.run();
