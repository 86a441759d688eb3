/**
 * The I/O-and-CPU pipeline of notebook 05: download images concurrently on
 * the event loop and make thumbnails on a pool, either after every download
 * is in (batch, as the document does) or each as soon as its bytes arrive
 * (streaming).
 */
import { now } from "../measure/clock";
import type { Span, Timeline } from "../measure/timeline";
import type { Executor } from "../executors/executor";
import { download, downloadSpans, type Download } from "../http/download";
import { imageTasks, type Thumbnail, type ThumbnailEngine } from "./image-tasks";
import { laneBySlot } from "../measure/slot-lanes";

/** Options of {@link downloadAndResize}. */
export interface DownloadAndResizeOptions {
  /** The pool that makes the thumbnails. */
  pool: Executor;
  /** "batch": all downloads first, then all thumbnails; "streaming": each thumbnail as soon as its image is in. */
  mode: "batch" | "streaming";
  engine?: ThumbnailEngine;
  width?: number;
  /** Labels, one per URL (default "image N"). */
  names?: readonly string[];
  /**
   * Receives the spans: the serving part of each download on lanes "<mode>: download slot N", one
   * per server worker that served it (its `x-worker` header; without it, one per download in
   * progress), so the waves of a server that serves a few at a time show; and each thumbnail on
   * "<mode>: <worker lane>".
   */
  timeline?: Timeline;
}

/** What {@link downloadAndResize} returns (a VariantReport for `experiment()` plus the data). */
export interface DownloadAndResize {
  /** From the first request to the last thumbnail, in ms. */
  wallMs: number;
  /** Each thumbnail's own time where it was made, in ms. */
  perTaskMs: number[];
  thumbs: Thumbnail[];
  downloads: Download[];
}

/**
 * Downloads every URL at once (`fetch`, on this thread's event loop) and
 * makes a thumbnail of each on `pool`. In batch mode the thumbnails start when
 * the last download is in; in streaming mode each starts when its own
 * download is in, so the pool works while later images are still arriving.
 *
 * @example
 * ```ts
 * import { downloadAndResize, ThreadPoolExecutor, Timeline, timelineChart, show } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor();
 * const timeline = new Timeline();
 * const run = await downloadAndResize(urls, { pool, mode: "streaming", timeline });
 * await show(timelineChart(timeline));
 * await pool.shutdown();
 * ```
 */
export async function downloadAndResize(urls: readonly string[], opts: DownloadAndResizeOptions): Promise<DownloadAndResize> {
  if (!Array.isArray(urls) || urls.length === 0) throw new RangeError("downloadAndResize: urls must be a non-empty array");
  const { pool, mode, engine = "jimp", width = 128, timeline } = opts;
  if (mode !== "batch" && mode !== "streaming") throw new TypeError(`mode must be "batch" or "streaming", got ${String(mode)}`);
  const task = engine === "sharp" ? imageTasks.makeThumbnailSharp : imageTasks.makeThumbnail;
  const name = (i: number) => opts.names?.[i] ?? `image ${i + 1}`;
  const resizeSpans: Span[] = [];
  const resize = async (d: Download, i: number) => {
    const future = pool.submit(task, d.body, width);
    const thumb = await future;
    if (future.span) resizeSpans.push({ ...future.span, label: name(i), lane: `${mode}: ${future.span.lane}` });
    return thumb;
  };
  const t0 = now();
  let downloads: Download[];
  let thumbs: Thumbnail[];
  if (mode === "batch") {
    downloads = await Promise.all(urls.map((url) => download(url)));
    thumbs = await Promise.all(downloads.map(resize));
  } else {
    downloads = new Array<Download>(urls.length);
    thumbs = await Promise.all(urls.map(async (url, i) => resize((downloads[i] = await download(url)), i)));
  }
  const wallMs = now() - t0;
  if (timeline) {
    const served = downloads.flatMap((d, i) =>
      downloadSpans(d, name(i), `${mode}: download slot ${d.serverWorker}`).filter((s) => s.kind !== "queued"));
    const known = downloads.every((d) => d.serverWorker !== null);
    timeline.add(...(known ? served : laneBySlot(served, `${mode}: download slot`)), ...resizeSpans);
  }
  return { wallMs, perTaskMs: thumbs.map((t) => t.totalMs), thumbs, downloads };
}
