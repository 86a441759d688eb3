/**
 * Waiting on shared memory: the plumbing under Mutex, ThreadEvent, Semaphore
 * and Barrier (internal; not re-exported from the package index).
 *
 * A worker may sleep in `Atomics.wait` until another thread calls
 * `Atomics.notify`. The main thread must not: it runs the event loop (and, in
 * a notebook, the kernel), so it waits with `Atomics.waitAsync`, which returns
 * a promise instead of sleeping.
 */
import { isMainThread } from "node:worker_threads";
import { types } from "node:util";

/** A shared primitive as it travels to a worker: its buffer, or any object carrying it (a structured clone of the primitive). */
export type SharedHandle = SharedArrayBuffer | { readonly buffer: SharedArrayBuffer };

type WaitAsyncResult =
  | { async: false; value: "not-equal" | "timed-out" }
  | { async: true; value: Promise<"ok" | "timed-out"> };

// Atomics.waitAsync is in Node 20 (V8) but only in TypeScript's ES2024 lib; this lib targets ES2022,
// so type the one function we use here instead of widening the lib or declaring a global.
const atomicsWaitAsync = (
  Atomics as unknown as { waitAsync?: (cells: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult }
).waitAsync;

/**
 * Resolves once `cells[index]` is notified or the timeout passes, or at once
 * if it no longer holds `expected`. Never blocks the calling thread.
 *
 * @example
 * ```ts
 * const cells = new Int32Array(new SharedArrayBuffer(4));
 * setTimeout(() => { Atomics.store(cells, 0, 1); Atomics.notify(cells, 0); }, 10);
 * await waitAsync(cells, 0, 0); // "ok"
 * ```
 */
export function waitAsync(
  cells: Int32Array,
  index: number,
  expected: number,
  timeoutMs = Infinity,
): Promise<"ok" | "not-equal" | "timed-out"> {
  if (atomicsWaitAsync === undefined) {
    throw new Error("Atomics.waitAsync is missing: this needs Node >= 16 (the kit targets Node 20)");
  }
  const r = atomicsWaitAsync(cells, index, expected, timeoutMs);
  if (!r.async) return Promise.resolve(r.value);
  const release = holdEventLoop();
  return r.value.finally(release);
}

// A pending Atomics.waitAsync does not keep Node's event loop alive (nodejs/node#61941): with no other
// handle, a script awaiting a worker's notify, or a timeout, would just exit. One ref'd idle interval,
// held while any wait is pending, keeps it running, as a pending setTimeout would.
let pendingWaits = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;

function holdEventLoop(): () => void {
  if (pendingWaits++ === 0) keepAlive = setInterval(() => {}, 0x7fffffff);
  return () => {
    if (--pendingWaits === 0) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  };
}

/**
 * Throws if the caller is a main thread, where a blocking wait would freeze the event loop.
 *
 * @example
 * ```ts
 * assertMayBlock("Mutex.lock()", "await mutex.lockAsync()"); // throws in a notebook
 * ```
 */
export function assertMayBlock(method: string, instead: string): void {
  if (isMainThread) {
    throw new Error(
      `${method} blocks its thread, and this is a main thread: blocking it would freeze the event loop. ` +
        `Use ${instead} here; the blocking form is for worker threads.`,
    );
  }
}

/**
 * Sleeps in `Atomics.wait` until `ready()` holds, checking again each time
 * `cells[index]` is notified or no longer holds `expected`; gives up after
 * `timeoutMs` (Infinity = wait for ever). Returns true when `ready()` held,
 * false on timeout. Blocks its thread: callers check `assertMayBlock` first.
 *
 * @example
 * ```ts
 * // in a worker: sleep until another thread sets cell 1 and notifies it
 * sleepUntil(() => Atomics.load(cells, 1) === 1, cells, 1, 0, 100, "wait"); // false after 100 ms
 * ```
 */
export function sleepUntil(
  ready: () => boolean,
  cells: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number,
  what: string,
): boolean {
  const deadline = deadlineAfter(timeoutMs, what);
  while (!ready()) {
    const left = remainingMs(deadline);
    if (left === 0) return false;
    Atomics.wait(cells, index, expected, left); // returns at once if the cell no longer holds `expected`
  }
  return true;
}

/**
 * Like {@link sleepUntil}, but awaits (`Atomics.waitAsync`) instead of
 * sleeping: for the main thread (works in any thread).
 *
 * @example
 * ```ts
 * const cells = new Int32Array(new SharedArrayBuffer(8));
 * setTimeout(() => { Atomics.store(cells, 1, 1); Atomics.notify(cells, 1); }, 10);
 * await waitUntil(() => Atomics.load(cells, 1) === 1, cells, 1, 0, 1000, "wait"); // true
 * ```
 */
export async function waitUntil(
  ready: () => boolean,
  cells: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number,
  what: string,
): Promise<boolean> {
  const deadline = deadlineAfter(timeoutMs, what);
  while (!ready()) {
    const left = remainingMs(deadline);
    if (left === 0) return false;
    await waitAsync(cells, index, expected, left);
  }
  return true;
}

/** Milliseconds left until `deadline` (on the `performance.now()` clock of this thread), never negative. */
function remainingMs(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

/** The deadline `timeoutMs` from now, checked: `timeoutMs` must be >= 0 (Infinity = wait for ever). */
function deadlineAfter(timeoutMs: number, what: string): number {
  if (!(timeoutMs >= 0)) throw new RangeError(`${what}: timeoutMs must be a number >= 0, got ${String(timeoutMs)}`);
  return timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
}

/**
 * Allocates `length` Int32 cells on a new SharedArrayBuffer; cell 0 holds `tag`
 * so that `cellsOf` can tell a Mutex's buffer from a Semaphore's.
 *
 * @example
 * ```ts
 * const cells = allocateCells(0x4d555458, 2); // [tag, state]
 * ```
 */
export function allocateCells(tag: number, length: number): Int32Array {
  const cells = new Int32Array(new SharedArrayBuffer(4 * length));
  cells[0] = tag;
  return cells;
}

/**
 * Rebuilds the cells of a primitive from a handle that crossed a thread
 * boundary, checking it is the right kind.
 *
 * @example
 * ```ts
 * const cells = cellsOf(workerData.mutex, 0x4d555458, 2, "Mutex"); // TypeError if it is not a Mutex's
 * ```
 */
export function cellsOf(handle: SharedHandle, tag: number, length: number, kind: string): Int32Array {
  const buffer = types.isSharedArrayBuffer(handle) ? handle : (handle as { buffer?: unknown } | null)?.buffer;
  if (!types.isSharedArrayBuffer(buffer)) {
    throw new TypeError(`${kind}.from: handle must be a SharedArrayBuffer or an object with one in .buffer (a ${kind} or its structured clone)`);
  }
  const cells = new Int32Array(buffer);
  if (cells.length !== length || Atomics.load(cells, 0) !== tag) {
    throw new TypeError(`${kind}.from: this SharedArrayBuffer does not hold a ${kind}`);
  }
  return cells;
}
