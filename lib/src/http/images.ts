// The encoders load on first use, so that processes that never make an image (the sync server's
// workers) do not pay for them.
type PngModule = typeof import("pngjs");
type JpegModule = typeof import("jpeg-js");

/** Image formats the slow server can generate (both readable by jimp, pngjs and jpeg-js). */
export type GeneratedImageFormat = "png" | "jpeg";

/**
 * Largest side, in pixels, of a generated image (a 2048² RGBA buffer is 16 MiB).
 *
 * @example
 * ```ts
 * import { GENERATED_IMAGE_MAX_SIZE, generateImage } from "concurrency-lab";
 * generateImage(GENERATED_IMAGE_MAX_SIZE, "png");     // the largest
 * generateImage(GENERATED_IMAGE_MAX_SIZE + 1, "png"); // RangeError: size must be an integer from 1 to 2048
 * ```
 */
export const GENERATED_IMAGE_MAX_SIZE = 2048;

/**
 * The RGBA pixels of the deterministic test picture of side `size`: a red/blue
 * gradient, a green disc in the middle and a dark ring, so a resized copy is
 * easy to recognise and two calls always give identical bytes.
 *
 * @example
 * ```ts
 * import { imagePixels } from "concurrency-lab";
 * const rgba = imagePixels(4); // Buffer of 4 * 4 * 4 bytes
 * ```
 */
export function imagePixels(size: number): Buffer {
  checkImageSize(size);
  const data = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const distance = Math.hypot(x - centre, y - centre);
      const inDisc = distance < radius;
      const onRing = Math.abs(distance - radius * 1.25) < Math.max(1, size / 40);
      const shade = size === 1 ? 0 : 255 / (size - 1);
      data[i] = onRing ? 20 : Math.round(x * shade); // red grows left to right
      data[i + 1] = onRing ? 20 : inDisc ? 200 : 40; // the green disc
      data[i + 2] = onRing ? 20 : Math.round(y * shade); // blue grows top to bottom
      data[i + 3] = 255;
    }
  }
  return data;
}

/**
 * Encodes the test picture of side `size` (1..{@link GENERATED_IMAGE_MAX_SIZE}) as PNG or
 * baseline JPEG (quality 85), in pure JavaScript. The bytes depend only on the
 * arguments, so tests and notebooks can compare downloads.
 *
 * @example
 * ```ts
 * import { generateImage } from "concurrency-lab";
 * const png = generateImage(64, "png"); // starts with \x89PNG
 * const jpg = generateImage(64, "jpeg"); // starts with 0xFF 0xD8
 * ```
 */
export function generateImage(size: number, format: GeneratedImageFormat): Buffer {
  const pixels = imagePixels(size);
  switch (format) {
    case "png": {
      const { PNG } = require("pngjs") as PngModule;
      const png = new PNG({ width: size, height: size });
      pixels.copy(png.data);
      return PNG.sync.write(png);
    }
    case "jpeg":
      return (require("jpeg-js") as JpegModule).encode({ data: pixels, width: size, height: size }, 85).data;
    default:
      throw new TypeError(`format must be "png" or "jpeg", got ${JSON.stringify(format)}`);
  }
}

/**
 * The MIME type to send with a generated image.
 *
 * @example
 * ```ts
 * imageContentType("jpeg"); // "image/jpeg"
 * ```
 */
export function imageContentType(format: GeneratedImageFormat): string {
  return format === "png" ? "image/png" : "image/jpeg";
}

function checkImageSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > GENERATED_IMAGE_MAX_SIZE) {
    throw new RangeError(`size must be an integer from 1 to ${GENERATED_IMAGE_MAX_SIZE}, got ${size}`);
  }
}
