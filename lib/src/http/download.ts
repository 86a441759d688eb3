/**
 * Downloading one URL as bytes and drawing the transfer on a timeline, split
 * into the time the request waited for a server worker and the time it was
 * served, from the slow server's timing headers.
 */
import { now } from "../measure/clock";
import type { Span, Timeline } from "../measure/timeline";
import { HttpStatusError } from "./http-clients";

/** Options of {@link download}. */
export interface DownloadOptions {
  /** Receives the transfer's spans: "queued" (waiting for a server worker, when known), then "io" or "failed". */
  timeline?: Timeline;
  /** Lane of the spans (default "downloads"). */
  lane?: string;
  /** Label of the spans (default: the URL's path). */
  label?: string;
  /** Aborts the request (fetch's AbortController): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What {@link download} returns. */
export interface Download {
  body: Buffer;
  status: number;
  /** Shared-clock times: request sent, a server worker took it (= sent when unknown), body complete. */
  sentAt: number;
  servedFrom: number;
  doneAt: number;
  /** How long the request waited for a server worker, in ms; null when the server did not say. */
  queueWaitMs: number | null;
  /** The server worker (slot) that served it, from the `x-worker` header; null when the server did not say. */
  serverWorker: string | null;
}

/**
 * When a server worker took the request, on the shared clock, from the slow
 * server's headers: `x-accepted-at` (a shared-clock time) or else
 * `x-queue-wait-ms` counted from `sentAt`; null when neither is usable.
 *
 * @example
 * ```ts
 * import { servedFromHeaders } from "concurrency-lab";
 * servedFromHeaders(new Headers({ "x-queue-wait-ms": "250" }), 1000); // 1250
 * servedFromHeaders(new Headers(), 1000); // null
 * ```
 */
export function servedFromHeaders(headers: Headers, sentAt: number): number | null {
  const accepted = Number(headers.get("x-accepted-at") ?? NaN);
  if (Number.isFinite(accepted) && accepted >= sentAt - 1) return Math.max(accepted, sentAt);
  const waited = Number(headers.get("x-queue-wait-ms") ?? NaN);
  if (Number.isFinite(waited) && waited >= 0) return sentAt + waited;
  return null;
}

/**
 * GETs `url` with the built-in `fetch` and returns the body as a Buffer with
 * its timings. It sends its send time in `x-sent-at`, so the slow server can
 * tell how long the request waited for a worker; with a `timeline`, the wait
 * is drawn as a "queued" span and the serving part as an "io" span ("failed"
 * for a non-2xx status). Rejects with the lib's `HttpStatusError` for a
 * non-2xx status, and with the signal's reason when `signal` aborts.
 *
 * @example
 * ```ts
 * import { download, startSlowServer, Timeline } from "concurrency-lab";
 * const server = await startSlowServer({ workers: 2, delayMs: 200 });
 * const timeline = new Timeline();
 * const d = await download(`${server.url}/image/256.png`, { timeline, lane: "slot 1" });
 * d.body.length; // the PNG's size; timeline holds its "io" span (and a "queued" one if it waited)
 * await server.close();
 * ```
 */
export async function download(url: string, opts: DownloadOptions = {}): Promise<Download> {
  if (typeof url !== "string" || url === "") throw new TypeError("download: url must be a non-empty string");
  const { timeline, lane = "downloads", signal } = opts;
  const label = opts.label ?? new URL(url).pathname;
  const sentAt = now();
  const response = await fetch(url, { headers: { "x-sent-at": sentAt.toFixed(3) }, signal });
  const body = Buffer.from(await response.arrayBuffer());
  const doneAt = now();
  const servedFrom = Math.min(servedFromHeaders(response.headers, sentAt) ?? sentAt, doneAt);
  const result: Download = {
    body,
    status: response.status,
    sentAt,
    servedFrom,
    doneAt,
    queueWaitMs: servedFrom > sentAt ? servedFrom - sentAt : response.headers.has("x-queue-wait-ms") ? 0 : null,
    serverWorker: response.headers.get("x-worker"),
  };
  if (timeline) timeline.add(...downloadSpans(result, label, lane));
  if (!response.ok) throw new HttpStatusError(url, response.status);
  return result;
}

/**
 * The spans of one download: a "queued" one while it waited for a server
 * worker (when it did), then "io" for the serving part ("failed" for a
 * non-2xx status). Use it to draw downloads made without a timeline, e.g.
 * after choosing their lanes.
 *
 * @example
 * ```ts
 * import { download, downloadSpans, Timeline } from "concurrency-lab";
 * const d = await download(url);
 * new Timeline().add(...downloadSpans(d, "photo 1", "slot 1"));
 * ```
 */
export function downloadSpans(d: Download, label: string, lane: string): Span[] {
  const spans: Span[] = [];
  if (d.servedFrom > d.sentAt) spans.push({ label: `${label} (queued)`, lane, start: d.sentAt, end: d.servedFrom, kind: "queued" });
  const ok = d.status >= 200 && d.status < 300;
  spans.push({ label, lane, start: d.servedFrom, end: d.doneAt, kind: ok ? "io" : "failed" });
  return spans;
}
