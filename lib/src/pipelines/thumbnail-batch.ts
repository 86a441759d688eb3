/**
 * One batch of thumbnails made one way: with jimp or sharp, on this thread or
 * on a pool, timed as a whole and per image where each image was made, and
 * drawn on a timeline. Notebook 05 compares the ways with `experiment()`.
 */
import { now } from "../measure/clock";
import type { Timeline } from "../measure/timeline";
import type { Executor } from "../executors/executor";
import { imageTasks, makeThumbnail, makeThumbnailSharp, type Thumbnail, type ThumbnailEngine } from "./image-tasks";

/** Options of {@link thumbnailBatch}. */
export interface ThumbnailBatchOptions {
  engine: ThumbnailEngine;
  /** Run on this pool (every image submitted at once); without it, run on this thread. */
  pool?: Executor;
  /** On this thread: "sequential" (one image after the other, the default) or "concurrent" (all started at once). */
  mode?: "sequential" | "concurrent";
  /** Thumbnail width, default 128. */
  width?: number;
  /** Receives one span per image: lane "main" (sequential), the worker's lane (pool), or "<engine> call N" (concurrent). */
  timeline?: Timeline;
  /** Span labels, one per image (default "image N"). */
  names?: readonly string[];
}

/** What {@link thumbnailBatch} returns: a VariantReport for `experiment()` plus the thumbnails. */
export interface ThumbnailBatch {
  /** Wall time of the whole batch, in ms. */
  wallMs: number;
  /** Each image's own time where it was made (`Thumbnail.totalMs`), in ms. */
  perTaskMs: number[];
  thumbs: Thumbnail[];
}

/**
 * Makes a thumbnail of every image one way and times it.
 * - jimp on this thread blocks the event loop for each image;
 * - sharp on this thread hands each image to libuv's thread pool, so with
 *   `mode: "concurrent"` several run at once and the loop stays free;
 * - on a pool, every image is submitted at once and the pool's workers share them.
 *
 * @example
 * ```ts
 * import { thumbnailBatch, generateImage, ThreadPoolExecutor } from "concurrency-lab";
 * const images = [generateImage(1024, "jpeg"), generateImage(1024, "png")];
 * const alone = await thumbnailBatch(images, { engine: "jimp" });
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const pooled = await thumbnailBatch(images, { engine: "jimp", pool });
 * console.log(alone.perTaskMs, pooled.perTaskMs); // each image's time alone and in the pool
 * await pool.shutdown();
 * ```
 */
export async function thumbnailBatch(images: readonly Uint8Array[], opts: ThumbnailBatchOptions): Promise<ThumbnailBatch> {
  if (!Array.isArray(images) || images.length === 0) throw new RangeError("thumbnailBatch: images must be a non-empty array");
  const { engine, pool, mode = "sequential", width = 128, timeline } = opts;
  if (engine !== "jimp" && engine !== "sharp") throw new TypeError(`engine must be "jimp" or "sharp", got ${String(engine)}`);
  const name = (i: number) => opts.names?.[i] ?? `image ${i + 1}`;
  const local = engine === "jimp" ? makeThumbnail : makeThumbnailSharp;
  const task = engine === "jimp" ? imageTasks.makeThumbnail : imageTasks.makeThumbnailSharp;
  const t0 = now();
  let thumbs: Thumbnail[];
  if (pool) {
    const futures = images.map((bytes) => pool.submit(task, bytes, width));
    thumbs = await Promise.all(futures);
    timeline?.add(...futures.flatMap((f, i) => (f.span ? [{ ...f.span, label: name(i) }] : [])));
  } else if (mode === "concurrent") {
    thumbs = await Promise.all(
      images.map(async (bytes, i) => {
        const start = now();
        const thumb = await local(bytes, width);
        timeline?.add({ label: name(i), lane: `${engine} call ${i + 1}`, start, end: now(), kind: "running" });
        return thumb;
      }),
    );
  } else {
    thumbs = [];
    for (const [i, bytes] of images.entries()) {
      const start = now();
      thumbs.push(await local(bytes, width));
      timeline?.add({ label: name(i), lane: "main", start, end: now(), kind: "running" });
    }
  }
  return { wallMs: now() - t0, perTaskMs: thumbs.map((t) => t.totalMs), thumbs };
}
