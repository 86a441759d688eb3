/**
 * The slow server itself: an HTTP server that behaves like `gunicorn -w N`
 * with sync workers in front of an app that sleeps before answering.
 *
 * It runs in a child process forked by {@link startSlowServer} (see
 * slow-server.ts), so a notebook cell that blocks its own event loop cannot
 * stall the server. Only the parent talks to it, over the IPC channel; when
 * that channel closes (the parent exited, was killed, or called close()) the
 * process exits.
 *
 * The model: `workers` slots serve at most `workers` requests at once; each
 * holds its slot for the delay, then answers. Other requests wait in one FIFO
 * queue of at most `queueLimit` entries; beyond that they get 503 at once,
 * like a full listen backlog. Requests that can be refused without any work
 * (unknown route, malformed parameter, wrong method) are answered at once
 * without a slot, and `/stats` is answered at once so it can be read while
 * every worker is busy.
 */
import * as http from "node:http";
import { now } from "../measure/clock";
import { generateImage, imageContentType, GENERATED_IMAGE_MAX_SIZE, type GeneratedImageFormat } from "./images";

/** Longest delay, in ms, that `/delay/:ms` or the `delayMs` option accept. */
export const SLOW_SERVER_MAX_DELAY_MS = 60_000;

/** The settings the child runs with (already checked by the parent). */
export interface SlowServerConfig {
  workers: number;
  delayMs: number;
  port: number;
  host: string;
  queueLimit: number;
  /** Send each finished request record to the parent as it happens. */
  streamRecords: boolean;
}

/**
 * What happened to one request:
 * - `served`: a worker slot answered it (whatever its status code);
 * - `rejected`: 503 because the queue was full;
 * - `invalid`: 400/404/405 answered at once, without a worker slot;
 * - `client-gone`: the client disconnected while queued or being served; its slot was freed.
 */
export type SlowServerOutcome = "served" | "rejected" | "invalid" | "client-gone";

/**
 * One request as the server saw it. All times are on the shared clock
 * {@link now}, so they line up with client-side spans.
 */
export interface SlowServerRecord {
  /** Arrival order since start or the last reset, from 1. */
  id: number;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** When the request reached the server. */
  arrival: number;
  /** When a worker slot took it; null if it never got one. */
  start: number | null;
  /** When the response was sent, or the request was given up. */
  end: number;
  /** The worker slot (1..workers) that served it; null if none did. */
  worker: number | null;
  /** Time spent waiting in the queue: `start - arrival`; `end - arrival` for a client that left the queue; 0 if refused. */
  queueWait: number;
  /** The status code sent; 0 when the client left before any response. */
  status: number;
  outcome: SlowServerOutcome;
}

/** A snapshot of the server's counters, as served by `/stats`. */
export interface SlowServerStats {
  workers: number;
  delayMs: number;
  queueLimit: number;
  /** Slots serving a request right now. */
  busy: number;
  /** Requests waiting for a slot right now. */
  queued: number;
  /** Most slots ever busy at once since start or the last reset. */
  maxBusy: number;
  /** Longest queue seen since start or the last reset. */
  maxQueued: number;
  /** Finished requests per outcome since start or the last reset. */
  outcomes: Record<SlowServerOutcome, number>;
}

/** Messages from the parent to the child. Every one is answered by a reply with the same id. */
export type ParentMessage = { type: "requests" | "reset" | "stats"; id: number };

/** Messages from the child to the parent. */
export type ChildMessage =
  | { type: "listening"; port: number }
  | { type: "listen-error"; code: string; message: string }
  | { type: "record"; record: SlowServerRecord }
  | { type: "reply"; id: number; data: unknown };

/** Work that holds a worker slot: produce the response, then hold the slot until the delay is over. */
interface Job {
  status: number;
  holdMs: number;
  contentType: string;
  body: () => Buffer | string;
}

interface Pending {
  record: SlowServerRecord;
  res: http.ServerResponse;
  job: Job;
  timer?: NodeJS.Timeout;
}

/** A request refused at once: status and message. */
class BadRequest {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

const SLOW_TEXT = "This is a slow web api\n"; // the lecture's app body

/**
 * Creates (does not start) the slow HTTP server in the calling process. The
 * child process calls this; notebooks use {@link startSlowServer}, which keeps
 * the server out of the notebook's event loop.
 *
 * @example
 * ```ts
 * const slow = createSlowServer({ workers: 3, delayMs: 1000, port: 8000, host: "127.0.0.1", queueLimit: 1000, streamRecords: false });
 * slow.server.listen(8000, "127.0.0.1");
 * ```
 */
export function createSlowServer(config: SlowServerConfig, onRecord: (r: SlowServerRecord) => void = () => {}) {
  const freeSlots: number[] = Array.from({ length: config.workers }, (_, i) => i + 1);
  const queue: Pending[] = [];
  let records: SlowServerRecord[] = [];
  let nextId = 1;
  let maxBusy = 0;
  let maxQueued = 0;
  let outcomes = zeroOutcomes();

  const busy = () => config.workers - freeSlots.length;

  function finish(p: Pending, status: number, outcome: SlowServerOutcome, end = now()): void {
    p.record.end = end;
    p.record.status = status;
    p.record.outcome = outcome;
    // Refused requests never queued; a client that left the queue waited until it left.
    const leftQueueAt = p.record.start ?? (outcome === "client-gone" ? p.record.end : p.record.arrival);
    p.record.queueWait = leftQueueAt - p.record.arrival;
    outcomes[outcome]++;
    records.push(p.record);
    onRecord(p.record);
  }

  function startNext(): void {
    while (freeSlots.length > 0 && queue.length > 0) serve(queue.shift()!, freeSlots.shift()!);
  }

  function release(slot: number): void {
    freeSlots.push(slot);
    freeSlots.sort((a, b) => a - b); // the lowest free slot serves next: stable worker numbers in charts
    startNext();
  }

  function serve(p: Pending, slot: number): void {
    const start = now();
    p.record.start = start;
    p.record.worker = slot;
    maxBusy = Math.max(maxBusy, busy());
    let body: Buffer | string;
    try {
      body = p.job.body(); // synchronous work (image encoding) counts against the delay
    } catch (err) {
      p.job = { ...p.job, status: 500, contentType: "text/plain; charset=utf-8" };
      body = `internal error: ${(err as Error).message}\n`;
    }
    const remaining = Math.max(0, p.job.holdMs - (now() - start));
    p.timer = setTimeout(() => {
      if (p.res.destroyed) return; // the client left: its 'close' handler frees the slot
      p.timer = undefined;
      const { res, record } = p;
      res.writeHead(p.job.status, {
        "content-type": p.job.contentType,
        "content-length": Buffer.byteLength(body),
        "x-queue-wait-ms": (start - record.arrival).toFixed(1),
        "x-worker": String(slot),
        "x-request-id": String(record.id),
      });
      const sentAt = now(); // read before sending, so a client can never see the body before this time
      res.end(body);
      finish(p, p.job.status, "served", sentAt);
      release(slot); // a sync worker is free as soon as it has written the response
    }, remaining);
  }

  function onClientGone(p: Pending): void {
    const queuedAt = queue.indexOf(p);
    if (queuedAt >= 0) {
      queue.splice(queuedAt, 1);
      finish(p, 0, "client-gone");
    } else if (p.timer !== undefined) {
      clearTimeout(p.timer);
      p.timer = undefined;
      finish(p, 0, "client-gone");
      release(p.record.worker!);
    }
  }

  function refuse(res: http.ServerResponse, record: SlowServerRecord, bad: BadRequest, outcome: SlowServerOutcome): void {
    res.writeHead(bad.status, { "content-type": "text/plain; charset=utf-8", ...bad.headers });
    res.end(bad.message + "\n");
    finish({ record, res, job: { status: bad.status, holdMs: 0, contentType: "", body: () => "" } }, bad.status, outcome);
  }

  const server = http.createServer((req, res) => {
    const arrival = now();
    const path = req.url ?? "/";
    const pathname = path.split("?")[0];
    if (pathname === "/stats" && (req.method === "GET" || req.method === "HEAD")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(stats()));
      return;
    }
    const record: SlowServerRecord = {
      id: nextId++,
      method: req.method ?? "GET",
      path,
      arrival,
      start: null,
      end: arrival,
      worker: null,
      queueWait: 0,
      status: 0,
      outcome: "invalid",
    };
    const job = route(req.method ?? "GET", pathname, config.delayMs, record.id);
    if (job instanceof BadRequest) return refuse(res, record, job, "invalid");
    const pending: Pending = { record, res, job };
    if (freeSlots.length === 0 && queue.length >= config.queueLimit) {
      return refuse(res, record, new BadRequest(503, `queue full (${config.queueLimit} waiting)`, { "retry-after": "1" }), "rejected");
    }
    res.on("close", () => {
      if (!res.writableFinished) onClientGone(pending);
    });
    queue.push(pending);
    startNext();
    maxQueued = Math.max(maxQueued, queue.length);
  });

  function stats(): SlowServerStats {
    return {
      workers: config.workers,
      delayMs: config.delayMs,
      queueLimit: config.queueLimit,
      busy: busy(),
      queued: queue.length,
      maxBusy,
      maxQueued,
      outcomes: { ...outcomes },
    };
  }

  function reset(): void {
    records = [];
    nextId = 1;
    maxBusy = busy();
    maxQueued = queue.length;
    outcomes = zeroOutcomes();
  }

  return { server, requests: () => records.slice(), reset, stats };
}

function zeroOutcomes(): Record<SlowServerOutcome, number> {
  return { served: 0, rejected: 0, invalid: 0, "client-gone": 0 };
}

/** Parses a whole number in [min, max]; anything else is a 400 naming the parameter. */
function wholeNumber(name: string, text: string, min: number, max: number): number | BadRequest {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  return new BadRequest(400, `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
}

/** Maps a request to the job a worker will do, or to an immediate refusal. */
function route(method: string, pathname: string, delayMs: number, id: number): Job | BadRequest {
  if (method !== "GET" && method !== "HEAD") {
    return new BadRequest(405, `method ${method} not allowed: use GET or HEAD`, { allow: "GET, HEAD" });
  }
  const text = (body: string, status = 200, holdMs = delayMs): Job => ({
    status,
    holdMs,
    contentType: "text/plain; charset=utf-8",
    body: () => body,
  });
  if (pathname === "/") return text(SLOW_TEXT);
  if (pathname === "/json") {
    return {
      status: 200,
      holdMs: delayMs,
      contentType: "application/json",
      body: () => JSON.stringify({ message: SLOW_TEXT.trim(), id, delayMs }),
    };
  }
  let m: RegExpMatchArray | null;
  if ((m = pathname.match(/^\/delay\/([^/]*)$/))) {
    const ms = wholeNumber("delay ms", m[1], 0, SLOW_SERVER_MAX_DELAY_MS);
    return ms instanceof BadRequest ? ms : text(`slept ${ms} ms\n`, 200, ms);
  }
  if ((m = pathname.match(/^\/status\/([^/]*)$/))) {
    const code = wholeNumber("status code", m[1], 200, 599);
    if (code instanceof BadRequest) return code;
    const reason = http.STATUS_CODES[code] ?? "Unknown";
    return text(code === 204 || code === 304 ? "" : `${code} ${reason}\n`, code);
  }
  if ((m = pathname.match(/^\/image\/([^/.]*)\.([^/.]*)$/))) {
    const size = wholeNumber("image size", m[1], 1, GENERATED_IMAGE_MAX_SIZE);
    if (size instanceof BadRequest) return size;
    const format: GeneratedImageFormat | undefined = m[2] === "png" ? "png" : m[2] === "jpeg" || m[2] === "jpg" ? "jpeg" : undefined;
    if (format === undefined) return new BadRequest(400, `image format must be png or jpeg, got ${JSON.stringify(m[2])}`);
    return { status: 200, holdMs: delayMs, contentType: imageContentType(format), body: () => cachedImage(size, format) };
  }
  return new BadRequest(404, `no route for ${pathname}: try /, /delay/:ms, /status/:code, /json, /image/:size.png, /image/:size.jpeg, /stats`);
}

const imageCache = new Map<string, Buffer>();

/** Encodes each (size, format) once; keeps the 16 most recent. */
function cachedImage(size: number, format: GeneratedImageFormat): Buffer {
  const key = `${size}.${format}`;
  let bytes = imageCache.get(key);
  if (bytes === undefined) {
    bytes = generateImage(size, format);
    if (imageCache.size >= 16) imageCache.delete(imageCache.keys().next().value!);
  } else {
    imageCache.delete(key); // re-inserted below as the most recent
  }
  imageCache.set(key, bytes);
  return bytes;
}

/** The child's main: start listening, answer the parent, exit with it. */
function runChild(): void {
  const send = (msg: ChildMessage) => {
    if (process.connected) process.send?.(msg);
  };
  const config = JSON.parse(process.argv[2] ?? "{}") as SlowServerConfig;
  const slow = createSlowServer(config, config.streamRecords ? (record) => send({ type: "record", record }) : undefined);

  // The parent owns this process: it exits when the parent closes the channel or dies.
  process.on("disconnect", () => process.exit(0));
  // Ctrl-C in a terminal reaches the whole process group; let the parent decide when to stop.
  process.on("SIGINT", () => {});

  process.on("message", (msg: ParentMessage) => {
    if (msg.type === "requests") send({ type: "reply", id: msg.id, data: slow.requests() });
    else if (msg.type === "stats") send({ type: "reply", id: msg.id, data: slow.stats() });
    else if (msg.type === "reset") {
      slow.reset();
      send({ type: "reply", id: msg.id, data: null });
    }
  });

  slow.server.once("error", (err: NodeJS.ErrnoException) => {
    send({ type: "listen-error", code: err.code ?? "UNKNOWN", message: err.message });
    process.exit(1);
  });
  slow.server.listen(config.port, config.host, () => {
    const address = slow.server.address();
    send({ type: "listening", port: typeof address === "object" && address ? address.port : config.port });
  });
}

if (require.main === module) runChild();
