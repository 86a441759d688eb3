/**
 * Thrown by {@link AsyncQueue} once it is closed: by `put()` at once, and by
 * `get()` when the last item has been taken (Python 3.13's `QueueShutDown`).
 *
 * @example
 * ```ts
 * try { await queue.get(); } catch (e) { if (e instanceof AsyncQueueClosedError) return; throw e; }
 * ```
 */
export class AsyncQueueClosedError extends Error {
  override readonly name = "AsyncQueueClosedError";
}

/** Someone waiting for room (a producer) or for an item (a consumer). */
interface Sleeper {
  wake: () => void;
}

/**
 * `asyncio.Queue` for the event loop: a FIFO between producer and consumer tasks.
 *
 * With `maxsize > 0` it has back-pressure: `put()` waits while the queue is
 * full, so a fast producer is held to the pace of its consumers instead of
 * filling memory. `get()` waits while it is empty. Each item taken should be
 * followed by `taskDone()`; `join()` resolves once every item put has been
 * marked done. `close()` ends it: producers are refused, consumers drain what
 * is left and then get {@link AsyncQueueClosedError} (or leave a `for await` loop).
 *
 * @example
 * ```ts
 * import { AsyncQueue } from "concurrency-lab";
 * const queue = new AsyncQueue<number>(10);          // asyncio.Queue(maxsize=10)
 * const consumer = (async () => {
 *   for await (const n of queue) { console.log(n); queue.taskDone(); }
 * })();
 * for (let i = 0; i < 100; i++) await queue.put(i);   // waits whenever 10 are queued
 * await queue.join();                                 // all 100 processed
 * queue.close(); await consumer;
 * ```
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  /** The most items it holds before `put()` waits; 0 means no limit (as in Python). */
  readonly maxsize: number;
  #items: T[] = [];
  #producers: Sleeper[] = [];
  #consumers: Sleeper[] = [];
  #unfinished = 0;
  #joiners: Array<() => void> = [];
  #closed = false;

  /** @param maxsize the capacity, an integer >= 0 (0 = unbounded). */
  constructor(maxsize = 0) {
    if (!Number.isInteger(maxsize) || maxsize < 0) {
      throw new RangeError(`AsyncQueue: maxsize must be an integer >= 0 (0 = unbounded), got ${String(maxsize)}`);
    }
    this.maxsize = maxsize;
  }

  /** Items in the queue now. */
  get size(): number {
    return this.#items.length;
  }

  /** True when `put()` would wait. */
  full(): boolean {
    return this.maxsize > 0 && this.#items.length >= this.maxsize;
  }

  /** True when `get()` would wait. */
  empty(): boolean {
    return this.#items.length === 0;
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item, waiting for room while the queue is full. Aborting `signal` gives up waiting. */
  async put(item: T, signal?: AbortSignal): Promise<void> {
    // Loop, like asyncio: a woken producer may find the room taken again by a putNowait().
    while (this.full() && !this.#closed) await this.#sleep(this.#producers, signal);
    this.putNowait(item);
  }

  /** Adds an item now; throws if the queue is full or closed. */
  putNowait(item: T): void {
    if (this.#closed) throw new AsyncQueueClosedError("AsyncQueue.put: the queue is closed");
    if (this.full()) throw new Error(`AsyncQueue.putNowait: the queue is full (maxsize ${this.maxsize})`);
    this.#items.push(item);
    this.#unfinished++;
    this.#consumers.shift()?.wake();
  }

  /** Takes the oldest item, waiting while the queue is empty. Aborting `signal` gives up waiting. */
  async get(signal?: AbortSignal): Promise<T> {
    while (this.empty() && !this.#closed) await this.#sleep(this.#consumers, signal);
    return this.getNowait();
  }

  /** Takes the oldest item now; throws if the queue is empty (or closed and drained). */
  getNowait(): T {
    if (this.empty()) {
      if (this.#closed) throw new AsyncQueueClosedError("AsyncQueue.get: the queue is closed and drained");
      throw new Error("AsyncQueue.getNowait: the queue is empty");
    }
    const item = this.#items.shift() as T;
    this.#producers.shift()?.wake();
    return item;
  }

  /** Marks one item taken with `get()` as processed; `join()` resolves when none is left. */
  taskDone(): void {
    if (this.#unfinished === 0) throw new Error("AsyncQueue.taskDone: called more times than there were items");
    if (--this.#unfinished === 0) {
      for (const resolve of this.#joiners.splice(0)) resolve();
    }
  }

  /** Resolves once every item ever put has been marked with `taskDone()`. */
  join(): Promise<void> {
    if (this.#unfinished === 0) return Promise.resolve();
    return new Promise((resolve) => this.#joiners.push(resolve));
  }

  /**
   * Ends the queue: waiting and future `put()`s throw {@link AsyncQueueClosedError};
   * consumers still get the items left, then the error (a `for await` loop just ends).
   */
  close(): void {
    this.#closed = true;
    for (const s of this.#producers.splice(0)) s.wake();
    for (const s of this.#consumers.splice(0)) s.wake();
  }

  /** Yields items until the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      try {
        yield await this.get();
      } catch (e) {
        if (e instanceof AsyncQueueClosedError) return;
        throw e;
      }
    }
  }

  /** Waits in `line` until woken (or until `signal` aborts, leaving the line). */
  #sleep(line: Sleeper[], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = line.indexOf(sleeper);
        if (i >= 0) line.splice(i, 1);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      line.push(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
