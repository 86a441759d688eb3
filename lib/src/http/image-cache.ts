import { Worker } from "node:worker_threads";
import { generateImage, type GeneratedImageFormat } from "./images";

/**
 * The slow server's generated images, encoded once per (size, format) and
 * kept (the `capacity` most recent). `getSync` encodes on the calling thread,
 * as a sync worker does; `get` encodes on one background thread, so the
 * calling event loop keeps answering other requests meanwhile. Concurrent
 * requests for the same image share one encode; different images take turns
 * on the one thread.
 *
 * @example
 * ```ts
 * import { ImageCache } from "concurrency-lab";
 * const cache = new ImageCache();
 * const png = await cache.get(512, "png"); // encoded off this thread
 * cache.getSync(512, "png") === png;        // true: cached
 * cache.close();
 * ```
 */
export class ImageCache {
  #bytes = new Map<string, Buffer>();
  #pending = new Map<string, Promise<Buffer>>();
  #thread: Worker | undefined;
  #waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  #nextId = 1;

  constructor(readonly capacity = 16) {}

  /** The image, encoding it on this thread if it is not cached. */
  getSync(size: number, format: GeneratedImageFormat): Buffer {
    const key = `${size}.${format}`;
    const cached = this.#take(key);
    if (cached !== undefined) return cached;
    const bytes = generateImage(size, format);
    this.#keep(key, bytes);
    return bytes;
  }

  /** The image, encoding it on the background thread if it is not cached. */
  get(size: number, format: GeneratedImageFormat): Promise<Buffer> {
    const key = `${size}.${format}`;
    const cached = this.#take(key);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = this.#encode(size, format).then(
        (bytes) => {
          this.#pending.delete(key);
          this.#keep(key, bytes);
          return bytes;
        },
        (err: Error) => {
          this.#pending.delete(key);
          throw err;
        },
      );
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /** Stops the background thread (a later `get` starts a new one). */
  close(): void {
    this.#thread?.terminate();
    this.#thread = undefined;
  }

  #take(key: string): Buffer | undefined {
    const bytes = this.#bytes.get(key);
    if (bytes !== undefined) {
      this.#bytes.delete(key); // re-inserted as the most recent
      this.#bytes.set(key, bytes);
    }
    return bytes;
  }

  #keep(key: string, bytes: Buffer): void {
    this.#bytes.set(key, bytes);
    while (this.#bytes.size > this.capacity) this.#bytes.delete(this.#bytes.keys().next().value!);
  }

  #encode(size: number, format: GeneratedImageFormat): Promise<Buffer> {
    if (this.#thread === undefined) {
      const thread = new Worker(require.resolve("./image-encoder-thread"));
      thread.unref(); // an idle encoder never keeps the server's process alive
      thread.on("message", (m: { id: number; bytes?: Uint8Array; error?: string }) => {
        const w = this.#waiting.get(m.id);
        this.#waiting.delete(m.id);
        if (m.bytes !== undefined) w?.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
        else w?.reject(new Error(m.error ?? "image encoding failed"));
      });
      const failAll = (err: Error) => {
        for (const w of this.#waiting.values()) w.reject(err);
        this.#waiting.clear();
        if (this.#thread === thread) this.#thread = undefined;
      };
      thread.on("error", failAll);
      thread.on("exit", (code) => failAll(new Error(`image encoder thread exited with code ${code}`)));
      this.#thread = thread;
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#thread!.postMessage({ id, size, format });
    });
  }
}
