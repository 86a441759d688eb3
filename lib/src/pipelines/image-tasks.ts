/**
 * The CPU stages of notebook 05's fetch-and-process pipeline, written as plain
 * functions so that the same code runs inline on the main thread and, through
 * {@link imageTasks}, in a ThreadPoolExecutor or ProcessPoolExecutor.
 *
 * Images go through one of two libraries, as two lessons:
 * - jimp, a pure-JavaScript decoder/encoder: its CPU cost is JavaScript work
 *   that blocks whichever thread runs it (on the main thread, the event loop);
 * - sharp, bindings to the C library libvips: the work runs on libuv's thread
 *   pool, off the JavaScript thread, so the event loop stays free without a
 *   worker pool. This is Node's form of "C extensions release the GIL".
 * Both are loaded on first use, so importing the lib (in the notebook or in a
 * worker that only runs other tasks) does not pay their load time.
 */
import type * as JimpModule from "jimp";
import type SharpModule from "sharp";
import { now } from "../measure/clock";
import { taskFrom } from "../executors/task";

/** Output formats of {@link makeThumbnail}. */
export type ThumbnailFormat = "png" | "jpeg";

/** Which library made a {@link Thumbnail}. */
export type ThumbnailEngine = "jimp" | "sharp";

/** What {@link makeThumbnail} and {@link makeThumbnailSharp} return: the encoded thumbnail and what it took. */
export interface Thumbnail {
  engine: ThumbnailEngine;
  /** The encoded thumbnail (a Uint8Array after crossing to another thread or process). */
  bytes: Uint8Array;
  format: ThumbnailFormat;
  /** MIME type of `bytes`, e.g. "image/png". */
  mime: string;
  width: number;
  height: number;
  /** The decoded input: its MIME type, pixel size and encoded size in bytes. */
  source: { mime: string; width: number; height: number; bytes: number };
  /** Milliseconds from start to finish, measured where the work ran (for sharp: including its wait for a libuv thread). */
  totalMs: number;
  /** Milliseconds spent in each stage, measured where the work ran; null for sharp, whose pipeline runs the stages as one. */
  stageMs: { decode: number; resize: number; encode: number } | null;
}

/**
 * Thrown by {@link makeThumbnail} when the bytes are not an image jimp can read.
 *
 * @example
 * ```ts
 * import { ImageDecodeError, makeThumbnail } from "concurrency-lab";
 * try {
 *   await makeThumbnail(new Uint8Array([1, 2, 3]));
 * } catch (err) {
 *   err instanceof ImageDecodeError; // true
 *   (err as ImageDecodeError).byteLength; // 3; the message names the size and the first bytes
 * }
 * ```
 */
export class ImageDecodeError extends Error {
  override name = "ImageDecodeError";
  constructor(
    message: string,
    /** Length of the rejected input. */
    readonly byteLength: number,
  ) {
    super(message);
  }
}

/** The error for `input` that a decoder refused with `err`: its size and first bytes, then the decoder's message. */
function decodeError(input: Buffer, err: unknown): ImageDecodeError {
  const head = input.subarray(0, 8).toString("hex").replace(/(..)/g, "$1 ").trim();
  return new ImageDecodeError(
    `cannot decode image (${input.length} bytes, starting ${head || "<empty>"}): ${(err as Error).message}`,
    input.length,
  );
}

let jimp: typeof JimpModule | undefined;
function loadJimp(): typeof JimpModule {
  // A plain require keeps this CommonJS and lazy (see the module comment).
  jimp ??= require("jimp") as typeof JimpModule;
  return jimp;
}

/**
 * Decodes an encoded image (PNG, JPEG, GIF, BMP or TIFF), resizes it to `width`
 * pixels wide keeping its aspect ratio, and encodes the result as PNG or JPEG.
 * Pure CPU work (no file or network access), so it can run anywhere.
 * Throws {@link ImageDecodeError} for bytes that are not a readable image,
 * TypeError/RangeError for bad arguments.
 *
 * @example
 * ```ts
 * import { generateImage, makeThumbnail } from "concurrency-lab";
 * const thumb = await makeThumbnail(generateImage(512, "jpeg"), 128);
 * thumb.width; // 128
 * thumb.mime; // "image/png"
 * ```
 */
export async function makeThumbnail(
  bytes: Uint8Array | ArrayBuffer,
  width = 128,
  format: ThumbnailFormat = "png",
): Promise<Thumbnail> {
  const input = checkThumbnailArgs(bytes, width, format);
  const { Jimp } = loadJimp();

  const t0 = now();
  let image: Awaited<ReturnType<typeof Jimp.read>>;
  try {
    image = await Jimp.read(input);
  } catch (err) {
    throw decodeError(input, err);
  }
  const source = { mime: image.mime ?? "unknown", width: image.width, height: image.height, bytes: input.length };
  const t1 = now();
  image.resize({ w: width });
  const t2 = now();
  const mime = format === "png" ? "image/png" : "image/jpeg";
  const encoded = await image.getBuffer(mime);
  const t3 = now();
  return {
    engine: "jimp",
    bytes: encoded,
    format,
    mime,
    width: image.width,
    height: image.height,
    source,
    totalMs: t3 - t0,
    stageMs: { decode: t1 - t0, resize: t2 - t1, encode: t3 - t2 },
  };
}

let sharpLib: typeof SharpModule | undefined;
function loadSharp(): typeof SharpModule {
  sharpLib ??= require("sharp") as typeof SharpModule;
  return sharpLib;
}

/** What {@link sharpInfo} returns. */
export interface SharpInfo {
  /** sharp's version, e.g. "0.35.5". */
  sharp: string;
  /** The libvips version it binds. */
  libvips: string;
  /** Threads libvips may use for one image (`sharp.concurrency()`). */
  threadsPerImage: number;
  /** libuv's thread pool size: how many sharp calls (and fs, dns.lookup, zlib, crypto jobs) run at once. */
  uvThreadpoolSize: number;
}

/**
 * The sharp and libvips versions and the two limits on sharp's parallelism:
 * libuv's pool size (`UV_THREADPOOL_SIZE`, default 4, read when Node starts)
 * and the libvips threads per image (`sharp.concurrency()`: the core count,
 * but 1 on glibc-based Linux without jemalloc).
 *
 * @example
 * ```ts
 * import { sharpInfo } from "concurrency-lab";
 * sharpInfo(); // { sharp: "0.35.5", libvips: "8.18.7", threadsPerImage: 1, uvThreadpoolSize: 4 }
 * ```
 */
export function sharpInfo(): SharpInfo {
  const lib = loadSharp() as unknown as typeof SharpModule & { versions: Record<string, string | undefined> };
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return {
    sharp: lib.versions.sharp ?? "unknown",
    libvips: lib.versions.vips ?? "unknown",
    threadsPerImage: lib.concurrency(),
    uvThreadpoolSize: Number.isInteger(size) && size > 0 ? Math.min(size, 1024) : 4,
  };
}

/**
 * {@link makeThumbnail} with sharp (libvips) instead of jimp: the same
 * arguments, checks and result shape (`engine: "sharp"`, `stageMs: null`).
 * sharp decodes, resizes and encodes on a thread of libuv's pool (at most
 * `UV_THREADPOOL_SIZE`, default 4, images at once), so the calling thread's
 * event loop stays free while it works, without any worker pool. The output
 * bytes differ from jimp's (another resampler and encoder).
 *
 * @example
 * ```ts
 * import { generateImage, makeThumbnailSharp } from "concurrency-lab";
 * const thumb = await makeThumbnailSharp(generateImage(512, "jpeg"), 128);
 * thumb.width; // 128
 * thumb.engine; // "sharp"
 * ```
 */
export async function makeThumbnailSharp(
  bytes: Uint8Array | ArrayBuffer,
  width = 128,
  format: ThumbnailFormat = "png",
): Promise<Thumbnail> {
  const input = checkThumbnailArgs(bytes, width, format);
  const sharp = loadSharp();
  const t0 = now();
  let meta: Awaited<ReturnType<ReturnType<typeof SharpModule>["metadata"]>>;
  let out: { data: Buffer; info: { width: number; height: number } };
  try {
    meta = await sharp(input).metadata();
    const pipeline = sharp(input, { failOn: "truncated" }).resize({ width });
    out = await (format === "png" ? pipeline.png() : pipeline.jpeg()).toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw decodeError(input, err);
  }
  const mime = format === "png" ? "image/png" : "image/jpeg";
  return {
    engine: "sharp",
    bytes: out.data,
    format,
    mime,
    width: out.info.width,
    height: out.info.height,
    source: { mime: `image/${meta.format ?? "unknown"}`, width: meta.width ?? 0, height: meta.height ?? 0, bytes: input.length },
    totalMs: now() - t0,
    stageMs: null,
  };
}

/** What {@link analyseText} returns. */
export interface TextAnalysis {
  /** Characters analysed (the text's length times `copies`). */
  characters: number;
  words: number;
  uniqueWords: number;
  /** The five most frequent words (lower case) with their counts, most frequent first. */
  topWords: [string, number][];
  /** FNV-1a hash of every character analysed, as 8 hex digits: proves the work was done. */
  checksum: string;
}

/**
 * Counts characters, words and word frequencies of `text`, analysed as if the
 * text were `copies` copies long: a stand-in for a heavy text analysis whose
 * cost grows with `copies` (use `calibrate` to pick it). Pure CPU work.
 *
 * @example
 * ```ts
 * import { analyseText } from "concurrency-lab";
 * analyseText("the cat and the hat", 2).topWords[0]; // ["the", 4]
 * ```
 */
export function analyseText(text: string, copies = 1): TextAnalysis {
  if (typeof text !== "string") throw new TypeError(`text must be a string, got ${describe(text)}`);
  if (!Number.isInteger(copies) || copies < 1) throw new RangeError(`copies must be an integer >= 1, got ${copies}`);
  const counts = new Map<string, number>();
  let words = 0;
  let hash = 0x811c9dc5;
  for (let c = 0; c < copies; c++) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    for (const match of text.matchAll(/[\p{L}\p{N}']+/gu)) {
      const word = match[0].toLowerCase();
      counts.set(word, (counts.get(word) ?? 0) + 1);
      words++;
    }
  }
  const topWords = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  return {
    characters: text.length * copies,
    words,
    uniqueWords: counts.size,
    topWords,
    checksum: (hash >>> 0).toString(16).padStart(8, "0"),
  };
}

/**
 * The functions above as tasks for `ThreadPoolExecutor` / `ProcessPoolExecutor`
 * (the workers load this compiled module by path).
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor, generateImage, imageTasks } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor();
 * const thumb = await pool.submit(imageTasks.makeThumbnail, generateImage(1024, "png"), 128, "png");
 * await pool.shutdown();
 * ```
 */
export const imageTasks = {
  makeThumbnail: taskFrom<[bytes: Uint8Array | ArrayBuffer, width?: number, format?: ThumbnailFormat], Thumbnail>(
    __filename,
    "makeThumbnail",
  ),
  makeThumbnailSharp: taskFrom<[bytes: Uint8Array | ArrayBuffer, width?: number, format?: ThumbnailFormat], Thumbnail>(
    __filename,
    "makeThumbnailSharp",
  ),
  analyseText: taskFrom<[text: string, copies?: number], TextAnalysis>(__filename, "analyseText"),
};

/** Checks the arguments of both thumbnail functions and returns the bytes as a Buffer (no copy). */
function checkThumbnailArgs(bytes: unknown, width: unknown, format: unknown): Buffer {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    // jimp and sharp would treat a string as a path (jimp even as a URL): refuse anything but bytes.
    throw new TypeError(`bytes must be a Uint8Array, Buffer or ArrayBuffer, got ${describe(bytes)}`);
  }
  if (typeof width !== "number" || !Number.isInteger(width) || width < 1 || width > 4096) {
    throw new RangeError(`width must be an integer from 1 to 4096, got ${String(width)}`);
  }
  if (format !== "png" && format !== "jpeg") {
    throw new TypeError(`format must be "png" or "jpeg", got ${JSON.stringify(format)}`);
  }
  if (bytes instanceof ArrayBuffer) return Buffer.from(bytes);
  const view = bytes as Uint8Array;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
