import { threadId, isMainThread } from "node:worker_threads";
import { now } from "./clock";

/** What a lane was doing during a span. */
export type SpanKind = "running" | "waiting" | "io" | "queued" | "idle" | (string & {});

/**
 * One bar of a timeline: `lane` is who (a thread or process name), `start`/`end`
 * are milliseconds on the shared clock of {@link now}.
 */
export interface Span {
  label: string;
  lane: string;
  start: number;
  end: number;
  kind: SpanKind;
}

/**
 * The name of the current thread or process, used as the default lane:
 * `main`, `thread 3` (a worker thread), or `pid 1234` (a child process).
 *
 * @example
 * ```ts
 * import { currentLane } from "concurrency-lab";
 * currentLane(); // "main" in a notebook
 * ```
 */
export function currentLane(): string {
  if (!isMainThread) return `thread ${threadId}`;
  if (process.send !== undefined) return `pid ${process.pid}`;
  return "main";
}

/**
 * Records spans from anywhere on one clock. Spans made in a worker or a child
 * process are plain objects: send them back with the result and `add` them.
 *
 * @example
 * ```ts
 * import { Timeline, sleep } from "concurrency-lab";
 * const tl = new Timeline();
 * await tl.record("nap", () => sleep(100), { kind: "waiting" });
 * tl.spans(); // [{ label: "nap", lane: "main", start: 0, end: ~100, kind: "waiting" }]
 * ```
 */
export class Timeline {
  /** Shared-clock time that the chart calls 0. */
  readonly origin: number;
  #spans: Span[] = [];

  constructor(origin: number = now()) {
    this.origin = origin;
  }

  /** Adds finished spans (for example, ones recorded in a worker). */
  add(...spans: Span[]): this {
    for (const s of spans) {
      if (!(Number.isFinite(s.start) && Number.isFinite(s.end)) || s.end < s.start) {
        throw new RangeError(`span "${s.label}": start and end must be finite with end >= start`);
      }
      this.#spans.push({ ...s });
    }
    return this;
  }

  /** Runs `fn` (sync or async) and records a span for it, even when it throws. */
  async record<T>(
    label: string,
    fn: () => T | Promise<T>,
    opts: { lane?: string; kind?: SpanKind } = {},
  ): Promise<T> {
    const start = now();
    try {
      return await fn();
    } finally {
      this.add({ label, lane: opts.lane ?? currentLane(), start, end: now(), kind: opts.kind ?? "running" });
    }
  }

  /**
   * Starts a span now and returns the function that ends it, for work that
   * does not fit in one callback (a request that starts in one event handler
   * and finishes in another).
   *
   * @example
   * ```ts
   * const tl = new Timeline();
   * const end = tl.begin("waiting for the lock", { kind: "waiting" });
   * // ... later, anywhere:
   * end(); // records and returns the span
   * ```
   */
  begin(label: string, opts: { lane?: string; kind?: SpanKind } = {}): () => Span {
    const start = now();
    const lane = opts.lane ?? currentLane();
    let span: Span | null = null;
    return () => {
      if (span) return span; // ending twice records once
      span = { label, lane, start, end: now(), kind: opts.kind ?? "running" };
      this.add(span);
      return span;
    };
  }

  /** Lane names in order of their first span's start. */
  lanes(): string[] {
    return [...new Set(this.spans().map((s) => s.lane))];
  }

  /** The spans with times relative to `origin`, sorted by start. */
  spans(): Span[] {
    return this.#spans
      .map((s) => ({ ...s, start: s.start - this.origin, end: s.end - this.origin }))
      .sort((a, b) => a.start - b.start);
  }

  /** Forgets all spans. */
  clear(): void {
    this.#spans = [];
  }
}

/**
 * Records one span around synchronous or async work in any thread or process
 * and returns it with the result, for sending back to the notebook.
 *
 * @example
 * ```ts
 * const { value, span } = await spanOf("sum", () => 1 + 1);
 * ```
 */
export async function spanOf<T>(
  label: string,
  fn: () => T | Promise<T>,
  opts: { lane?: string; kind?: SpanKind } = {},
): Promise<{ value: T; span: Span }> {
  const start = now();
  const value = await fn();
  return { value, span: { label, lane: opts.lane ?? currentLane(), start, end: now(), kind: opts.kind ?? "running" } };
}
