/**
 * The slow server's routes, shared by both worker classes (see
 * slow-server.ts): which path asks for what, and which requests are refused
 * at once. Pure functions: no sockets, no clocks.
 */
import { STATUS_CODES } from "node:http";
import { GENERATED_IMAGE_MAX_SIZE, type GeneratedImageFormat } from "./images";

/**
 * Longest delay, in ms, that `/delay/:ms` or the `delayMs` option accept.
 *
 * @example
 * ```ts
 * import { SLOW_SERVER_MAX_DELAY_MS, startSlowServer } from "concurrency-lab";
 * await startSlowServer({ delayMs: SLOW_SERVER_MAX_DELAY_MS + 1 }); // RangeError: delayMs must be from 0 to 60000
 * ```
 */
export const SLOW_SERVER_MAX_DELAY_MS = 60_000;

/**
 * Most requests per second that `/rate/:n` accepts as its limit.
 *
 * @example
 * ```ts
 * import { RATE_LIMIT_MAX } from "concurrency-lab";
 * await fetch(server.rateUrl(RATE_LIMIT_MAX));     // the highest limit
 * await fetch(server.rateUrl(RATE_LIMIT_MAX + 1)); // 400: "rate limit (requests per second) must be a whole number from 1 to 100000 …"
 * ```
 */
export const RATE_LIMIT_MAX = 100_000;

/**
 * The request header a client sets to its send time, in ms on the shared
 * clock (`now()` in Node; `time.monotonic() * 1000` in Python on Linux, the
 * same CLOCK_MONOTONIC). The sync server cannot see a connection while it
 * waits in the kernel's listen backlog, so this header is how it measures
 * that wait: accept time minus send time.
 *
 * @example
 * ```ts
 * import { SENT_AT_HEADER, now } from "concurrency-lab";
 * await fetch(server.url, { headers: { [SENT_AT_HEADER]: String(now()) } }); // the server can time the wait
 * ```
 */
export const SENT_AT_HEADER = "x-sent-at";

/**
 * The lecture's app body.
 *
 * @example
 * ```ts
 * await (await fetch(server.url)).text() === SLOW_TEXT; // true
 * ```
 */
export const SLOW_TEXT = "This is a slow web api\n";

/** What a worker does for an accepted request. */
export type SlowJob =
  /** Text or JSON, sent after the worker has held the request for `holdMs`. */
  | { kind: "text"; status: number; holdMs: number; contentType: string; body: string }
  /** A generated image; encoding counts against `holdMs`. */
  | { kind: "image"; status: 200; holdMs: number; size: number; format: GeneratedImageFormat }
  /** The server's counters as JSON, at once. */
  | { kind: "stats" }
  /** `/rate/:n`: at most `perSecond` requests per one-second window get 200 at once, the others 429. */
  | { kind: "rate"; perSecond: number };

/** A request refused at once, without holding a worker. */
export interface SlowRefusal {
  kind: "refuse";
  status: number;
  message: string;
  headers: Record<string, string>;
}

const refuse = (status: number, message: string, headers: Record<string, string> = {}): SlowRefusal => ({
  kind: "refuse",
  status,
  message,
  headers,
});

/** Parses a whole number in [min, max]; anything else is a 400 naming the parameter. */
function wholeNumber(name: string, text: string, min: number, max: number): number | SlowRefusal {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  return refuse(400, `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
}

/**
 * Every route, for the 404 message.
 *
 * @example
 * ```ts
 * routeSlowRequest("GET", "/nowhere", 0, 1); // { kind: "refuse", status: 404, message: "no route for /nowhere: try " + SLOW_ROUTES, … }
 * ```
 */
export const SLOW_ROUTES = "/, /delay/:ms, /status/:code, /json, /image/:size.png, /image/:size.jpeg, /rate/:n, /stats";

/**
 * Maps a request to the job a worker will do, or to a refusal answered at once.
 * `id` goes into `/json`'s body. Query strings must already be cut off.
 *
 * @example
 * ```ts
 * routeSlowRequest("GET", "/delay/250", 1000, 1); // { kind: "text", holdMs: 250, ... }
 * routeSlowRequest("GET", "/nowhere", 1000, 2); // { kind: "refuse", status: 404, ... }
 * ```
 */
export function routeSlowRequest(method: string, pathname: string, delayMs: number, id: number): SlowJob | SlowRefusal {
  if (method !== "GET" && method !== "HEAD") {
    return refuse(405, `method ${method} not allowed: use GET or HEAD`, { allow: "GET, HEAD" });
  }
  const text = (body: string, status = 200, holdMs = delayMs): SlowJob => ({
    kind: "text",
    status,
    holdMs,
    contentType: "text/plain; charset=utf-8",
    body,
  });
  if (pathname === "/") return text(SLOW_TEXT);
  if (pathname === "/stats") return { kind: "stats" };
  if (pathname === "/json") {
    const body = JSON.stringify({ message: SLOW_TEXT.trim(), id, delayMs });
    return { kind: "text", status: 200, holdMs: delayMs, contentType: "application/json", body };
  }
  let m: RegExpMatchArray | null;
  if ((m = pathname.match(/^\/delay\/([^/]*)$/))) {
    const ms = wholeNumber("delay ms", m[1], 0, SLOW_SERVER_MAX_DELAY_MS);
    return typeof ms === "number" ? text(`slept ${ms} ms\n`, 200, ms) : ms;
  }
  if ((m = pathname.match(/^\/status\/([^/]*)$/))) {
    const code = wholeNumber("status code", m[1], 200, 599);
    if (typeof code !== "number") return code;
    const reason = STATUS_CODES[code] ?? "Unknown";
    return text(code === 204 || code === 304 ? "" : `${code} ${reason}\n`, code);
  }
  if ((m = pathname.match(/^\/rate\/([^/]*)$/))) {
    const perSecond = wholeNumber("rate limit (requests per second)", m[1], 1, RATE_LIMIT_MAX);
    return typeof perSecond === "number" ? { kind: "rate", perSecond } : perSecond;
  }
  if ((m = pathname.match(/^\/image\/([^/.]*)\.([^/.]*)$/))) {
    const size = wholeNumber("image size", m[1], 1, GENERATED_IMAGE_MAX_SIZE);
    if (typeof size !== "number") return size;
    const format = m[2] === "png" ? "png" : m[2] === "jpeg" || m[2] === "jpg" ? "jpeg" : undefined;
    if (format === undefined) return refuse(400, `image format must be png or jpeg, got ${JSON.stringify(m[2])}`);
    return { kind: "image", status: 200, holdMs: delayMs, size, format };
  }
  return refuse(404, `no route for ${pathname}: try ${SLOW_ROUTES}`);
}

/**
 * Reads the client's send time from the `x-sent-at` header value. A missing,
 * malformed, future or implausibly old value (more than 10 minutes before
 * `receivedAt`, e.g. another clock) gives null: the wait is then unknown.
 * A value up to {@link SENT_AT_LATE_MS} after `receivedAt` counts as
 * `receivedAt` (no wait): a client stamps its request just after connecting,
 * and on loopback an idle worker can accept the connection before a busy
 * client process gets to run its stamping code.
 *
 * @example
 * ```ts
 * parseSentAt("1234.5", 1300); // 1234.5
 * parseSentAt(undefined, 1300); // null
 * ```
 */
export function parseSentAt(value: string | string[] | undefined, receivedAt: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text.trim())) return null;
  const sent = Number(text);
  // Stamped after our accept (the client ran late) is still the same clock: no wait, not unknown.
  if (!Number.isFinite(sent) || sent > receivedAt + SENT_AT_LATE_MS || receivedAt - sent > 600_000) return null;
  return Math.min(sent, receivedAt);
}

/**
 * How far after the server's accept a client's `x-sent-at` may lie and still
 * count (as no wait); see {@link parseSentAt}.
 *
 * @example
 * ```ts
 * parseSentAt(String(1000 + SENT_AT_LATE_MS), 1000); // 1000
 * ```
 */
export const SENT_AT_LATE_MS = 250;
