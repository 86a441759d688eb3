import { test } from "uvu";
import * as assert from "uvu/assert";
import { PNG } from "pngjs";
import {
  ThreadPoolExecutor, ProcessPoolExecutor, analyseText, galleryBundle, generateImage, imageTasks, makeThumbnail,
  makeThumbnailSharp, sharpInfo,
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
  assert.is(thumb.engine, "jimp");
  assert.ok(thumb.stageMs !== null);
  for (const ms of Object.values(thumb.stageMs)) assert.ok(ms >= 0);
  assert.ok(thumb.totalMs >= thumb.stageMs.decode);
});

test("makeThumbnailSharp gives the same shape with sharp: size, format, source, a green centre", async () => {
  for (const [input, format] of [[generateImage(96, "png"), "png"], [generateImage(96, "jpeg"), "jpeg"]] as const) {
    const thumb = await makeThumbnailSharp(input, 32, format);
    assert.equal([thumb.engine, thumb.width, thumb.height, thumb.format], ["sharp", 32, 32, format]);
    assert.is(thumb.source.mime, `image/${format}`);
    assert.equal([thumb.source.width, thumb.source.height, thumb.source.bytes], [96, 96, input.length]);
    assert.is(thumb.stageMs, null);
    assert.ok(thumb.totalMs > 0);
  }
  const png = await makeThumbnailSharp(generateImage(96, "png"), 32);
  const decoded = PNG.sync.read(Buffer.from(png.bytes));
  const centre = (16 * 32 + 16) * 4;
  const [r, g, b] = decoded.data.subarray(centre, centre + 3);
  assert.ok(g > 150 && g > r && g > b, `centre pixel is green, got rgb(${r}, ${g}, ${b})`);
});

test("sharpInfo names the versions and the two limits on sharp's parallelism", () => {
  const info = sharpInfo();
  assert.match(info.sharp, /^\d+\.\d+/);
  assert.match(info.libvips, /^\d+\.\d+/);
  assert.ok(Number.isInteger(info.threadsPerImage) && info.threadsPerImage >= 1);
  assert.ok(Number.isInteger(info.uvThreadpoolSize) && info.uvThreadpoolSize >= 1);
});

test("makeThumbnailSharp rejects corrupt or cut bytes with ImageDecodeError, and bad arguments", async () => {
  const cut = generateImage(256, "png");
  for (const bad of [Buffer.from("<html>not an image</html>"), cut.subarray(0, cut.length >> 1)]) {
    const err = await makeThumbnailSharp(bad).then(() => undefined, (e: unknown) => e as Error);
    assert.is(err?.name, "ImageDecodeError", `for ${bad.length} bytes`);
  }
  await makeThumbnailSharp("/etc/passwd" as never).then(
    () => assert.unreachable("a path must be refused"),
    (e: Error) => assert.instance(e, TypeError),
  );
  await makeThumbnailSharp(generateImage(8, "png"), 0).then(
    () => assert.unreachable("width 0 must be refused"),
    (e: Error) => assert.instance(e, RangeError),
  );
});

test("sharp lets the event loop turn while it works; jimp keeps the loop for its whole call", async () => {
  // Structural, no clock: count the event loop's turns (a self-renewing setImmediate) during each call.
  // sharp hands the image to libuv's threads and resolves from their completion callbacks, so the loop
  // must turn at least once; jimp decodes, resizes and encodes in JavaScript on this thread, so no
  // turn can happen until it returns. The blocking times themselves: `npm run bench:images`.
  const input = generateImage(256, "jpeg");
  await makeThumbnailSharp(input, 32); // load sharp and libvips first
  await makeThumbnail(input, 32); // and jimp
  const turnsDuring = async (work: () => Promise<unknown>) => {
    let turns = 0;
    let done = false;
    const turn = () => {
      if (!done) { turns++; setImmediate(turn); }
    };
    setImmediate(turn);
    await work();
    done = true;
    return turns;
  };
  for (const format of ["png", "jpeg"] as const) {
    const sharpTurns = await turnsDuring(() => makeThumbnailSharp(input, 32, format));
    const jimpTurns = await turnsDuring(() => makeThumbnail(input, 32, format));
    assert.ok(sharpTurns >= 1, `the loop turned ${sharpTurns} times during sharp (${format})`);
    assert.is(jimpTurns, 0, `the loop turned ${jimpTurns} times during jimp (${format})`);
  }
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
      const viaSharp = await pool.submit(imageTasks.makeThumbnailSharp, input, 40);
      assert.equal([viaSharp.engine, viaSharp.width], ["sharp", 40]);
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
