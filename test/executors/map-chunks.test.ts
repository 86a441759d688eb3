import { test } from "uvu";
import * as assert from "uvu/assert";
import { allInOrder, chunkItems, Future } from "concurrency-lab";

test("chunkItems cuts any iterable into chunks and names each item for errors", () => {
  const chunks = chunkItems(new Set([1, 2, 3]), 2);
  assert.equal(chunks.map((c) => [c.offset, c.argsList]), [[0, [[1], [2]]], [2, [[3]]]]);
  assert.is(chunks[1]!.describe(0), "item 2 (items[2]");
  assert.throws(() => chunkItems([1], 0), /chunksize must be an integer >= 1/);
  assert.throws(() => chunkItems(42 as never), /items must be iterable/);
});

test("allInOrder keeps input order whatever order the chunks finish in", async () => {
  const a = new Future<number[]>("chunk 0");
  const b = new Future<number[]>("chunk 1");
  const all = allInOrder([a, b]);
  b.settle({ ok: true, value: [3] });
  a.settle({ ok: true, value: [1, 2] });
  assert.equal(await all, [1, 2, 3]);
});

test.run();
