import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ThreadPoolExecutor, Timeline, downloadAndResize, generateImage } from "concurrency-lab";

test("downloadAndResize makes one thumbnail per URL in both modes and draws slots and workers", async () => {
  const png = generateImage(64, "png");
  const server = createServer((_req, res) => setTimeout(() => res.writeHead(200).end(png), 40));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x.png`;
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  try {
    for (const mode of ["batch", "streaming"] as const) {
      const timeline = new Timeline();
      const run = await downloadAndResize([url, url, url], { pool, mode, width: 16, timeline, names: ["a", "b", "c"] });
      assert.is(run.thumbs.length, 3);
      assert.ok(run.thumbs.every((t) => t.width === 16));
      assert.is(run.perTaskMs.length, 3);
      assert.is(run.downloads.length, 3);
      const lanes = new Set(timeline.spans().map((s) => s.lane));
      assert.ok([...lanes].some((l) => l.startsWith(`${mode}: download slot `)), [...lanes].join(", "));
      assert.ok([...lanes].some((l) => /^(batch|streaming): thread \d+$/.test(l)), [...lanes].join(", "));
    }
    await downloadAndResize([], { pool, mode: "batch" }).then(() => assert.unreachable(), (e: Error) => assert.instance(e, RangeError));
  } finally {
    await pool.shutdown();
    server.closeAllConnections();
    server.close();
  }
});

test.run();
