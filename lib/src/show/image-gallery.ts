/**
 * A row of captioned images as ONE notebook output: HTML with the images
 * inlined as data: URIs (so the executed notebook, its HTML and its PDF carry
 * them), plus a text listing for terminals.
 */
import { displayBundle, type MimeBundle } from "./display";

/** One picture of {@link showImages}. */
export interface GalleryImage {
  /** The encoded image (PNG, JPEG, GIF or SVG). */
  bytes: Uint8Array;
  /** Its MIME type, e.g. "image/png". */
  mime: string;
  /** Text under the picture. */
  caption: string;
}

const GALLERY_MIMES = new Set(["image/png", "image/jpeg", "image/gif", "image/svg+xml"]);

/**
 * Builds the output bundle of {@link showImages}: `text/html` (a wrapping row
 * of figures) and `text/plain` (one line per image).
 *
 * @example
 * ```ts
 * import { galleryBundle, generateImage } from "concurrency-lab";
 * const bundle = galleryBundle([{ bytes: generateImage(32, "png"), mime: "image/png", caption: "32 px" }]);
 * bundle["text/plain"]; // "1 image:\n  32 px (image/png, 0.3 kB)"
 * ```
 */
export function galleryBundle(images: readonly GalleryImage[]): MimeBundle {
  if (!Array.isArray(images) || images.length === 0) throw new RangeError("images must be a non-empty array");
  const figures: string[] = [];
  const lines: string[] = [];
  images.forEach((image, i) => {
    if (!(image?.bytes instanceof Uint8Array)) throw new TypeError(`images[${i}].bytes must be a Uint8Array`);
    if (!GALLERY_MIMES.has(image.mime)) {
      throw new TypeError(`images[${i}].mime must be one of ${[...GALLERY_MIMES].join(", ")}, got ${String(image.mime)}`);
    }
    const caption = String(image.caption ?? "");
    const base64 = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString("base64");
    figures.push(
      `<figure style="margin:0;text-align:center">` +
        `<img src="data:${image.mime};base64,${base64}" alt="${escapeHtml(caption)}" style="display:block;margin:auto"/>` +
        `<figcaption style="font-size:11px">${escapeHtml(caption)}</figcaption></figure>`,
    );
    lines.push(`  ${caption} (${image.mime}, ${(image.bytes.byteLength / 1000).toFixed(1)} kB)`);
  });
  return {
    "text/html": `<div style="display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end">${figures.join("")}</div>`,
    "text/plain": `${images.length} image${images.length === 1 ? "" : "s"}:\n${lines.join("\n")}`,
  };
}

/**
 * Shows encoded images side by side with captions, as one notebook output
 * (outside a kernel: prints the text listing).
 *
 * @example
 * ```ts
 * import { showImages, generateImage } from "concurrency-lab";
 * showImages([{ bytes: generateImage(64, "png"), mime: "image/png", caption: "test picture" }]);
 * ```
 */
export function showImages(images: readonly GalleryImage[]): void {
  displayBundle(galleryBundle(images));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
