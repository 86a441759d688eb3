/**
 * libuvHashBatch: N pbkdf2 calls on a child's libuv pool. Checks the report's
 * shape, the pool size it ran with, and the options. No wall-clock bound.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { libuvHashBatch, now } from "concurrency-lab";
import { rejection } from "../rejection";

test("libuvHashBatch reports one span per call on the shared clock", async () => {
  const before = now();
  const r = await libuvHashBatch({ hashes: 3, iterations: 1000 });
  assert.is(r.poolSize, "4 (default)");
  assert.is(r.spans.length, 3);
  for (const [i, s] of r.spans.entries()) {
    assert.is(s.lane, `hash ${i + 1}`);
    assert.ok(s.start >= before && s.end >= s.start, "spans lie on this process's clock");
  }
  assert.ok(r.wallMs >= 0 && r.cpuMs >= 0);
});

test("libuvHashBatch passes UV_THREADPOOL_SIZE to the child", async () => {
  const r = await libuvHashBatch({ hashes: 2, iterations: 1000, poolSize: 2 });
  assert.is(r.poolSize, "2");
});

test("libuvHashBatch checks its options", async () => {
  assert.instance(await rejection(() => libuvHashBatch({ hashes: 0, iterations: 1 })), RangeError);
  assert.instance(await rejection(() => libuvHashBatch({ hashes: 1, iterations: 1.5 })), RangeError);
  assert.match(String(await rejection(() => libuvHashBatch({ hashes: 1, iterations: 1, poolSize: 2000 }))), /1024/);
});

test.run();
