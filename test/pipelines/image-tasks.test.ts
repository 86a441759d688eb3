import { test } from "uvu";
import * as assert from "uvu/assert";
import { PNG } from "pngjs";
import {
  ThreadPoolExecutor, ProcessPoolExecutor, analyseText, galleryBundle, generateImage, imageTasks, makeThumbnail,
} from "concurrency-lab";

test("makeThumbnail resizes a PNG to the asked width and returns a readable PNG", async () => {
  const thumb = await makeThumbnail(generateImage(96, "png"), 32);
  assert.equal([thumb.width, thumb.height, thumb.mime], [32, 32, "image/png"]);
  assert.equal(thumb.source, { mime: "image/png", width: 96, height: 96, bytes: generateImage(96, "png").length });
  const decoded = PNG.sync.read(Buffer.from(thumb.bytes));
  assert.equal([decoded.width, decoded.height], [32, 32]);
  // The green disc of the test picture survives the resize: the centre pixel stays green.
  const centre = (16 * 32 + 16) * 4;
  const [r, g, b] = decoded.data.subarray(centre, centre + 3);
  assert.ok(g > 150 && g > r && g > b, `centre pixel is green, got rgb(${r}, ${g}, ${b})`);
  for (const ms of Object.values(thumb.stageMs)) assert.ok(ms >= 0);
});

test("makeThumbnail reads JPEG and can write JPEG", async () => {
  const thumb = await makeThumbnail(generateImage(64, "jpeg"), 16, "jpeg");
  assert.is(thumb.source.mime, "image/jpeg");
  assert.equal([thumb.width, thumb.height, thumb.mime], [16, 16, "image/jpeg"]);
  assert.equal([...thumb.bytes.subarray(0, 2)], [0xff, 0xd8]);
});

test("makeThumbnail rejects corrupt bytes with ImageDecodeError, and bad arguments by name", async () => {
  const truncated = generateImage(64, "png").subarray(0, 100);
  for (const bad of [Buffer.from("<html>not an image</html>"), truncated]) {
    try {
      await makeThumbnail(bad);
      assert.unreachable("should have thrown");
    } catch (err) {
      assert.is((err as Error).name, "ImageDecodeError");
      assert.match((err as Error).message, `cannot decode image (${bad.length} bytes`);
    }
  }
  await makeThumbnail("/etc/passwd" as never).then(
    () => assert.unreachable("a string must be refused"),
    (err: Error) => assert.ok(err instanceof TypeError && /bytes must be/.test(err.message)),
  );
  await makeThumbnail(generateImage(8, "png"), 0).then(
    () => assert.unreachable("width 0 must be refused"),
    (err: Error) => assert.ok(err instanceof RangeError && /width/.test(err.message)),
  );
});

test("analyseText counts words, scales with copies and checks its input", () => {
  const one = analyseText("The cat and the hat.");
  assert.equal([one.characters, one.words, one.uniqueWords], [20, 5, 4]);
  assert.equal(one.topWords[0], ["the", 2]);
  const three = analyseText("The cat and the hat.", 3);
  assert.equal([three.characters, three.words, three.uniqueWords], [60, 15, 4]);
  assert.equal(three.topWords[0], ["the", 6]);
  assert.is.not(three.checksum, one.checksum);
  assert.throws(() => analyseText("x", 0), (e: Error) => e instanceof RangeError && /copies/.test(e.message));
  assert.throws(() => analyseText(42 as never), (e: Error) => e instanceof TypeError && /text/.test(e.message));
});

test("the tasks give the same results in a thread pool and a process pool as inline", async () => {
  const input = generateImage(128, "png");
  const inline = await makeThumbnail(input, 40);
  for (const pool of [new ThreadPoolExecutor({ maxWorkers: 1 }), new ProcessPoolExecutor({ maxWorkers: 1 })]) {
    try {
      const remote = await pool.submit(imageTasks.makeThumbnail, input, 40);
      assert.equal(Buffer.from(remote.bytes), Buffer.from(inline.bytes));
      assert.equal(await pool.submit(imageTasks.analyseText, "a b a", 2), analyseText("a b a", 2));
      const failed = await pool.submit(imageTasks.makeThumbnail, Buffer.from("junk")).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      assert.is(failed?.name, "ImageDecodeError");
    } finally {
      await pool.shutdown();
    }
  }
});

test("galleryBundle inlines the images as HTML and lists them as text", () => {
  const png = generateImage(8, "png");
  const bundle = galleryBundle([{ bytes: png, mime: "image/png", caption: "a <small> one" }]);
  const html = bundle["text/html"] as string;
  assert.ok(html.includes(`data:image/png;base64,${png.toString("base64")}`));
  assert.ok(html.includes("a &#60;small&#62; one"), "caption is escaped");
  assert.match(bundle["text/plain"] as string, /^1 image:\n  a <small> one \(image\/png, /);
  assert.throws(() => galleryBundle([]), RangeError);
  assert.throws(() => galleryBundle([{ bytes: png, mime: "text/html", caption: "" }]), TypeError);
});

test.run();
