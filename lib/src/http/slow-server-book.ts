/**
 * The slow server's book-keeping, shared by both worker classes: the record
 * of every request, the counters behind `/stats`, and the rate windows.
 * It lives in the server's main process (the arbiter).
 */
import { RateWindows } from "./rate-window";

/** How the slow server serves requests; see `startSlowServer`. */
export type SlowServerWorkerClass = "sync" | "async";

/**
 * What happened to one request:
 * - `served`: a worker answered it (whatever its status code);
 * - `limited`: `/rate/:n` answered 429 (over the limit);
 * - `invalid`: 400/404/405 answered at once, without holding a worker;
 * - `rejected` (async class only): 503 because the in-process queue was full;
 * - `client-gone` (async class only): the client disconnected while queued or
 *   being served, and the server stopped working on it;
 * - `no-request` (sync class only): a worker accepted a connection that
 *   closed, or sent nothing for 10 s, before a whole request arrived.
 */
export type SlowServerOutcome = "served" | "limited" | "invalid" | "rejected" | "client-gone" | "no-request";

/**
 * One request as the server saw it. All times are ms on the shared clock
 * `now()`, so they line up with client-side spans.
 */
export interface SlowServerRecord {
  /** Order in which workers took requests since start or the last reset, from 1. */
  id: number;
  method: string;
  /** Path and query as requested ("" for `no-request`). */
  path: string;
  /** The client's send time from its `x-sent-at` header; null without one. */
  sent: number | null;
  /**
   * When the request reached the server. Async class: when it was read.
   * Sync class: the client's send time when known (a connection waiting in
   * the kernel's backlog is invisible to the server), else the accept time.
   */
  arrival: number;
  /** When a worker took it (sync: accepted the connection); null if none did. */
  start: number | null;
  /** When the response was sent, or the request was given up. */
  end: number;
  /** The worker (1..workers) that took it; null if none did. */
  worker: number | null;
  /** The process that took it (sync: the worker's pid; async: the server's pid); null if none. */
  pid: number | null;
  /**
   * Time spent waiting for a worker: `start - arrival`. Sync class: 0 when
   * the client sent no `x-sent-at` (the backlog wait cannot be seen then).
   * Async: `end - arrival` for a client that left the queue; 0 if refused.
   */
  queueWait: number;
  /** The status code sent; 0 when no response was sent. */
  status: number;
  outcome: SlowServerOutcome;
}

/** A snapshot of the server's counters, as served by `/stats`. */
export interface SlowServerStats {
  workerClass: SlowServerWorkerClass;
  workers: number;
  delayMs: number;
  /** Sync: the listen backlog asked for; async: the in-process queue limit. */
  queueLimit: number;
  /** The worker processes (sync: one per worker; async: the one server process). */
  pids: number[];
  /** Workers serving a request right now. */
  busy: number;
  /**
   * Requests waiting for a worker right now. Async: the in-process queue.
   * Sync: the kernel's accept queue read from /proc/net/tcp (Linux); null where unknown.
   */
  queued: number | null;
  /** Most workers ever busy at once since start or the last reset. */
  maxBusy: number;
  /**
   * Longest queue since start or the last reset. Sync: most requests waiting
   * at once while every worker was busy, worked out from send, accept and end
   * times (only requests that sent `x-sent-at` count).
   */
  maxQueued: number;
  /** Finished requests per outcome since start or the last reset. */
  outcomes: Record<SlowServerOutcome, number>;
}

/** The settings the server process runs with (already checked by the parent). */
export interface SlowServerConfig {
  workerClass: SlowServerWorkerClass;
  workers: number;
  delayMs: number;
  port: number;
  host: string;
  queueLimit: number;
  /** Send each finished request record to the parent as it happens. */
  streamRecords: boolean;
}

export function zeroOutcomes(): Record<SlowServerOutcome, number> {
  return { served: 0, limited: 0, invalid: 0, rejected: 0, "client-gone": 0, "no-request": 0 };
}

/**
 * Most intervals [from, to) open at one instant.
 *
 * @example
 * ```ts
 * maxOverlap([[0, 10], [5, 15], [10, 20]]); // 2: an end and a start at 10 do not overlap
 * ```
 */
export function maxOverlap(intervals: Array<[number, number]>): number {
  const edges = intervals
    .filter(([from, to]) => to > from)
    .flatMap(([from, to]) => [
      { t: from, d: 1 },
      { t: to, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d); // an end at the same instant as a start counts first
  let open = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (open += e.d));
  return max;
}

/**
 * Records, counters and rate windows of one server.
 *
 * @example
 * ```ts
 * const book = new SlowServerBook((r) => console.log(r.path));
 * book.begin(1, now(), null); // worker 1 took a request
 * book.finish({ ...record, id: book.nextId() }, 1);
 * ```
 */
export class SlowServerBook {
  readonly rates = new RateWindows(1000);
  #records: SlowServerRecord[] = [];
  #nextId = 1;
  #maxBusy = 0;
  #outcomes = zeroOutcomes();
  /** Requests begun and not finished: worker → [send time, start time]. */
  #inFlight = new Map<number, { sent: number | null; start: number }>();

  constructor(readonly onRecord: (r: SlowServerRecord) => void = () => {}) {}

  /** A worker took a request; `key` (its worker) identifies it until `finish`. */
  begin(key: number, start: number, sent: number | null): void {
    this.#inFlight.set(key, { sent, start });
    this.#maxBusy = Math.max(this.#maxBusy, this.#inFlight.size);
  }

  /** The next request id (ids count from 1 after start or reset). */
  nextId(): number {
    return this.#nextId++;
  }

  /** The request of `key` is over (or, with no key, a request that no worker held). */
  finish(record: SlowServerRecord, key?: number): void {
    if (key !== undefined) this.#inFlight.delete(key);
    this.#outcomes[record.outcome]++;
    this.#records.push(record);
    this.onRecord(record);
  }

  get busy(): number {
    return this.#inFlight.size;
  }

  get maxBusy(): number {
    return this.#maxBusy;
  }

  /**
   * Most requests that waited at once while every one of `workers` workers
   * was busy, from send, start and end times. (A request sent while a worker
   * was idle spent that moment connecting, not queueing.)
   */
  maxQueuedFromSendTimes(workers: number): number {
    const events: Array<{ t: number; waiting: number; busy: number }> = [];
    const add = (from: number, to: number, what: "waiting" | "busy") => {
      if (!(to > from)) return;
      events.push({ t: from, waiting: what === "waiting" ? 1 : 0, busy: what === "busy" ? 1 : 0 });
      events.push({ t: to, waiting: what === "waiting" ? -1 : 0, busy: what === "busy" ? -1 : 0 });
    };
    for (const r of this.#records) {
      if (r.start === null) continue;
      if (r.sent !== null) add(r.sent, r.start, "waiting");
      add(r.start, r.end, "busy");
    }
    for (const f of this.#inFlight.values()) {
      if (f.sent !== null) add(f.sent, f.start, "waiting");
      add(f.start, Infinity, "busy");
    }
    events.sort((a, b) => a.t - b.t || a.waiting + a.busy - (b.waiting + b.busy)); // ends first at one instant
    let waiting = 0;
    let busy = 0;
    let max = 0;
    for (const e of events) {
      waiting += e.waiting;
      busy += e.busy;
      if (busy >= workers) max = Math.max(max, waiting);
    }
    return max;
  }

  get outcomes(): Record<SlowServerOutcome, number> {
    return { ...this.#outcomes };
  }

  records(): SlowServerRecord[] {
    return this.#records.slice();
  }

  /** Forgets records, counters and rate windows (requests in flight are recorded when they finish). */
  reset(): void {
    this.#records = [];
    this.#nextId = 1;
    this.#maxBusy = this.#inFlight.size;
    this.#outcomes = zeroOutcomes();
    this.rates.clear();
  }
}
