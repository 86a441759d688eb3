/**
 * The CPU stages of notebook 05's fetch-and-process pipeline, written as plain
 * functions so that the same code runs inline on the main thread and, through
 * {@link imageTasks}, in a ThreadPoolExecutor or ProcessPoolExecutor.
 *
 * Images go through jimp, a pure-JavaScript decoder/encoder: its CPU cost is
 * real JavaScript work that blocks whichever thread runs it, which is exactly
 * what the notebook needs to show. jimp is loaded on first use, so importing
 * the lib (in the notebook or in a worker that only runs other tasks) does not
 * pay its ~100 ms load time.
 */
import type * as JimpModule from "jimp";
import { now } from "../measure/clock";
import { taskFrom } from "../executors/task";

/** Output formats of {@link makeThumbnail}. */
export type ThumbnailFormat = "png" | "jpeg";

/** What {@link makeThumbnail} returns: the encoded thumbnail and what it took. */
export interface Thumbnail {
  /** The encoded thumbnail (a Uint8Array after crossing to another thread or process). */
  bytes: Uint8Array;
  format: ThumbnailFormat;
  /** MIME type of `bytes`, e.g. "image/png". */
  mime: string;
  width: number;
  height: number;
  /** The decoded input: its MIME type, pixel size and encoded size in bytes. */
  source: { mime: string; width: number; height: number; bytes: number };
  /** Milliseconds spent in each stage, measured where the work ran. */
  stageMs: { decode: number; resize: number; encode: number };
}

/** Thrown by {@link makeThumbnail} when the bytes are not an image jimp can read. */
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
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    // jimp would treat a string as a path or URL and fetch it: refuse anything but bytes.
    throw new TypeError(`bytes must be a Uint8Array, Buffer or ArrayBuffer, got ${describe(bytes)}`);
  }
  if (!Number.isInteger(width) || width < 1 || width > 4096) {
    throw new RangeError(`width must be an integer from 1 to 4096, got ${width}`);
  }
  if (format !== "png" && format !== "jpeg") {
    throw new TypeError(`format must be "png" or "jpeg", got ${JSON.stringify(format)}`);
  }
  const input =
    bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { Jimp } = loadJimp();

  const t0 = now();
  let image: Awaited<ReturnType<typeof Jimp.read>>;
  try {
    image = await Jimp.read(input);
  } catch (err) {
    const head = input.subarray(0, 8).toString("hex").replace(/(..)/g, "$1 ").trim();
    throw new ImageDecodeError(
      `cannot decode image (${input.length} bytes, starting ${head || "<empty>"}): ${(err as Error).message}`,
      input.length,
    );
  }
  const source = { mime: image.mime ?? "unknown", width: image.width, height: image.height, bytes: input.length };
  const t1 = now();
  image.resize({ w: width });
  const t2 = now();
  const mime = format === "png" ? "image/png" : "image/jpeg";
  const encoded = await image.getBuffer(mime);
  const t3 = now();
  return {
    bytes: encoded,
    format,
    mime,
    width: image.width,
    height: image.height,
    source,
    stageMs: { decode: t1 - t0, resize: t2 - t1, encode: t3 - t2 },
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
  analyseText: taskFrom<[text: string, copies?: number], TextAnalysis>(__filename, "analyseText"),
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
