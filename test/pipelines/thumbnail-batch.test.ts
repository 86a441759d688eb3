import { test } from "uvu";
import * as assert from "uvu/assert";
import { ThreadPoolExecutor, Timeline, generateImage, thumbnailBatch } from "concurrency-lab";

const images = [generateImage(96, "png"), generateImage(128, "jpeg"), generateImage(64, "png")];

test("thumbnailBatch makes one thumbnail per image in every way, with a time per image", async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  try {
    const ways = [
      { engine: "jimp", lanes: /^main$/ },
      { engine: "sharp", mode: "concurrent", lanes: /^sharp call \d$/ },
      { engine: "jimp", pool, lanes: /^thread \d+$/ },
      { engine: "sharp", pool, lanes: /^thread \d+$/ },
    ] as const;
    for (const way of ways) {
      const timeline = new Timeline();
      const batch = await thumbnailBatch(images, { ...way, width: 32, timeline, names: ["a", "b", "c"] });
      assert.is(batch.thumbs.length, 3);
      assert.ok(batch.thumbs.every((t) => t.width === 32 && t.engine === way.engine));
      assert.is(batch.perTaskMs.length, 3);
      assert.ok(batch.wallMs > 0);
      const spans = timeline.spans();
      assert.equal(spans.map((s) => s.label).sort(), ["a", "b", "c"]);
      assert.ok(spans.every((s) => way.lanes.test(s.lane)), `${way.engine}: ${spans.map((s) => s.lane)}`);
    }
  } finally {
    await pool.shutdown();
  }
});

test("thumbnailBatch checks its arguments", async () => {
  await thumbnailBatch([], { engine: "jimp" }).then(() => assert.unreachable(), (e: Error) => assert.instance(e, RangeError));
  await thumbnailBatch(images, { engine: "gimp" as never }).then(() => assert.unreachable(), (e: Error) => assert.instance(e, TypeError));
});

test.run();
