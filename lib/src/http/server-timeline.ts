/**
 * Drawing the slow server's records next to a client's spans, on the shared
 * clock: the lecture's PyCharm concurrency diagrams, with the server's side too.
 */
import type { Span } from "../measure/timeline";
import { timelineChart, type Chart } from "../show/charts";
import type { SlowServerRecord } from "./slow-server-book";

/** Options of {@link serverSpans}. */
export interface ServerSpansOptions {
  /**
   * `"workers"` (default): one lane per server worker, busy with one request
   * after another and idle in between (idle shown), plus one lane per request
   * that waited for a worker ("waiting · req N"), from its send time to its accept.
   * `"requests"`: one lane per request, its wait then its service.
   */
  view?: "workers" | "requests";
  /** How many workers the server has, so that a worker that served nothing still gets its (idle) lane. */
  workers?: number;
  /** The window the chart covers (default: from the first record to the last); idle spans fill it. */
  from?: number;
  to?: number;
  /** Waits shorter than this (ms) are not drawn: connecting and accepting take a moment. Default 5. */
  minWaitMs?: number;
}

/**
 * The number a request's path carries as `req=N`, else its record id.
 *
 * @example
 * ```ts
 * requestNumber({ ...record, path: "/?req=7" }); // 7
 * ```
 */
export function requestNumber(r: SlowServerRecord): number {
  const m = /[?&]req=(\d+)/.exec(r.path);
  return m ? Number(m[1]) : r.id;
}

/**
 * Lane of worker `w` in {@link serverSpans}'s worker view.
 *
 * @example
 * ```ts
 * workerLane(2); // "server · worker 2"
 * ```
 */
export function workerLane(w: number | null): string {
  return `server · worker ${w ?? "?"}`;
}

/**
 * The server's records as timeline spans (see {@link ServerSpansOptions}).
 * Service spans have kind "serving" ("limited" for a 429, "refused" for a
 * 4xx answered at once); waits have kind "queued"; a worker's free time has
 * kind "idle". Records without a start (refused before any worker took them)
 * are drawn as a queued wait only.
 *
 * @example
 * ```ts
 * import { serverSpans, timelineChart, show } from "concurrency-lab";
 * const spans = serverSpans(await server.requests(), { workers: 3 });
 * await show(timelineChart(spans, { title: "Who served what" }));
 * ```
 */
export function serverSpans(records: readonly SlowServerRecord[], opts: ServerSpansOptions = {}): Span[] {
  const { view = "workers", minWaitMs = 5 } = opts;
  const label = (r: SlowServerRecord) => `req ${requestNumber(r)}`;
  const kindOf = (r: SlowServerRecord) => (r.status === 429 ? "limited" : r.outcome === "invalid" ? "refused" : "serving");
  const waitStart = (r: SlowServerRecord) => r.sent ?? r.arrival;
  const spans: Span[] = [];
  for (const r of records) {
    const waitEnd = r.start ?? r.end;
    const waited = waitEnd - waitStart(r) >= minWaitMs;
    const lane = view === "workers" ? `waiting · req ${requestNumber(r)}` : `server · req ${requestNumber(r)}`;
    if (waited) spans.push({ label: `${label(r)} waits for a worker`, lane, start: waitStart(r), end: waitEnd, kind: "queued" });
    if (r.start === null) continue;
    const serveLane = view === "workers" ? workerLane(r.worker) : lane;
    spans.push({ label: `${label(r)} (${r.outcome}, pid ${r.pid ?? "?"})`, lane: serveLane, start: r.start, end: r.end, kind: kindOf(r) });
  }
  if (view === "workers" && (records.length > 0 || opts.from !== undefined)) {
    const from = opts.from ?? Math.min(...records.map((r) => Math.min(waitStart(r), r.start ?? r.end)));
    const to = opts.to ?? Math.max(...records.map((r) => r.end));
    const workers = new Set<number>(records.flatMap((r) => (r.worker === null ? [] : [r.worker])));
    for (let w = 1; w <= (opts.workers ?? 0); w++) workers.add(w);
    for (const w of workers) {
      const busy = records.filter((r) => r.worker === w && r.start !== null).sort((a, b) => a.start! - b.start!);
      let t = from;
      for (const r of busy) {
        if (r.start! > t) spans.push({ label: "idle", lane: workerLane(w), start: t, end: r.start!, kind: "idle" });
        t = Math.max(t, r.end);
      }
      if (to > t) spans.push({ label: "idle", lane: workerLane(w), start: t, end: to, kind: "idle" });
    }
  }
  return spans;
}

/** A span as the notebooks' Python programs report it: ms on `time.monotonic()`. */
export interface PythonSpan {
  lane: string;
  label: string;
  start: number;
  end: number;
  kind?: string;
}

/**
 * Spans reported by a Python program (`{ lane, label, start, end, kind? }`
 * in ms on `time.monotonic()`, the shared clock on Linux) as timeline spans,
 * their lanes prefixed so they do not mix with Node's.
 *
 * @example
 * ```ts
 * const run = await runPython<{ spans: PythonSpan[] }>("python/03_client_threading.py", [server.url, 3]);
 * const spans = pythonSpans(run.result.spans); // lanes "py · Thread-1 (fetch)", ...
 * ```
 */
export function pythonSpans(spans: readonly PythonSpan[], prefix = "py · "): Span[] {
  return spans.map((s) => ({ label: s.label, lane: `${prefix}${s.lane}`, start: s.start, end: s.end, kind: s.kind ?? "io" }));
}

/**
 * Records whose request was sent (or arrived) within [from, to]: one run's share of a server's log.
 *
 * @example
 * ```ts
 * const run = await fetchAsync(urls);
 * const mine = recordsBetween(await server.requests(), run.start, run.end);
 * ```
 */
export function recordsBetween(records: readonly SlowServerRecord[], from: number, to: number): SlowServerRecord[] {
  return records.filter((r) => (r.sent ?? r.arrival) >= from && (r.sent ?? r.arrival) <= to);
}

/**
 * Orders lanes in groups (a group is the lane's name without its last number:
 * "thread 10" belongs to "thread "), the groups in the order given, except
 * that a pool's queue lanes ("queue N") come after the others; within a
 * group by that number.
 */
function laneOrder(lanes: string[]): string[] {
  const tail = /(\d+)\D*$/;
  const n = (l: string) => Number(tail.exec(l)?.[1] ?? -1);
  const group = (l: string) => l.replace(tail, "");
  const groups = [...new Set(lanes.map(group))];
  const rank = (l: string) => (/^queue\b/.test(l) ? 1 : 0);
  return [...lanes].sort(
    (a, b) => rank(a) - rank(b) || groups.indexOf(group(a)) - groups.indexOf(group(b)) || n(a) - n(b) || a.localeCompare(b),
  );
}

/**
 * Colours of the lecture timelines' span kinds, the same in every chart (the
 * shared timeline colours, plus the server's and the workers' own kinds), so a
 * colour means one thing across the notebook.
 */
export const LECTURE_KIND_COLORS: Readonly<Record<string, string>> = {
  running: "#4c78a8",
  waiting: "#f58518",
  io: "#54a24b",
  queued: "#9d9d9d",
  idle: "#d9d9d9",
  starting: "#b279a2",
  serving: "#72b7b2",
  limited: "#e45756",
  refused: "#9d755d",
};

/** Options of {@link lectureTimeline}. */
export interface LectureTimelineOptions extends ServerSpansOptions {
  title: string;
  /** Time axis unit; default "s". */
  unit?: "ms" | "s";
}

/**
 * One chart of a client run and the server's side of it, on one clock:
 * the client's lanes on top (threads, processes or tasks), then one lane per
 * server worker (idle in light grey, so a worker that did nothing shows),
 * then a lane per request that waited for a worker (in the sync server's
 * case, in the kernel's listen backlog).
 *
 * @example
 * ```ts
 * const run = await fetchAsync(urls);
 * await show(lectureTimeline(run.spans, recordsBetween(await server.requests(), run.start, run.end), { title: "async", workers: 3 }));
 * ```
 */
export function lectureTimeline(clientSpans: readonly Span[], records: readonly SlowServerRecord[], opts: LectureTimelineOptions): Chart {
  const from = opts.from ?? Math.min(...clientSpans.map((s) => s.start), ...records.map((r) => r.sent ?? r.arrival));
  const to = opts.to ?? Math.max(...clientSpans.map((s) => s.end), ...records.map((r) => r.end));
  const server = serverSpans(records, { ...opts, from, to });
  const spans = [...clientSpans, ...server];
  const client = laneOrder([...new Set(clientSpans.map((s) => s.lane))]);
  const workers = laneOrder([...new Set(server.filter((s) => s.lane.startsWith("server")).map((s) => s.lane))]);
  const waiting = laneOrder([...new Set(server.filter((s) => !s.lane.startsWith("server")).map((s) => s.lane))]);
  const chart = timelineChart(spans, {
    title: opts.title,
    unit: opts.unit ?? "s",
    lanes: [...client, ...workers, ...waiting],
    laneTitle: "client (top) · server workers · waiting requests",
  });
  // Fixed colours per kind: the shared chart gives kinds it does not know the next spare colour.
  const color = (chart as { encoding?: { color?: { scale?: { domain?: string[]; range?: string[] } } } }).encoding?.color;
  if (color?.scale?.domain && color.scale.range) {
    const spare = color.scale.range;
    color.scale.range = color.scale.domain.map((k, i) => LECTURE_KIND_COLORS[k] ?? spare[i]!);
  }
  return chart;
}
