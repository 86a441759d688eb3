/**
 * The worker thread behind {@link ImageCache.get} (image-cache.ts): encodes
 * the test picture off the server's event loop and sends the bytes back.
 */
import { parentPort } from "node:worker_threads";
import { generateImage, type GeneratedImageFormat } from "./images";

interface EncodeRequest {
  id: number;
  size: number;
  format: GeneratedImageFormat;
}

parentPort?.on("message", ({ id, size, format }: EncodeRequest) => {
  try {
    const bytes = generateImage(size, format);
    // Copy into a buffer of its own, so that the transfer moves only these bytes.
    const own = new Uint8Array(bytes.length);
    own.set(bytes);
    parentPort!.postMessage({ id, bytes: own }, [own.buffer]);
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
