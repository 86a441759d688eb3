/**
 * The slow server's async class: one event-loop process with `workers`
 * slots, the way an async server (aiohttp, uvicorn, or gunicorn with an async
 * worker class) limits how many handlers run at once.
 *
 * Differences from the sync class: the server accepts every connection at
 * once and keeps waiting requests in its own FIFO queue (at most
 * `queueLimit`; one more gets 503 with Retry-After); connections are kept
 * alive; and it notices a client that disconnects, dropping it from the queue
 * or stopping its handler and freeing the slot (`client-gone`), as aiohttp
 * does with `handler_cancellation=True`.
 *
 * Images are encoded on a background thread and cached, so the event loop
 * keeps answering `/stats`, refusals and queued requests meanwhile. The limit:
 * each request still costs the loop its parsing and writing (well under a
 * millisecond for text; copying a 2048 px image's bytes to the socket is the
 * longest synchronous step).
 */
import * as http from "node:http";
import { now } from "../measure/clock";
import { ImageCache } from "./image-cache";
import { imageContentType } from "./images";
import { rateHeaders } from "./rate-window";
import { parseSentAt, routeSlowRequest, type SlowJob, type SlowRefusal } from "./slow-routes";
import { SlowServerBook, type SlowServerConfig, type SlowServerOutcome, type SlowServerRecord, type SlowServerStats } from "./slow-server-book";

interface Pending {
  record: SlowServerRecord;
  res: http.ServerResponse;
  job: Exclude<SlowJob, { kind: "stats" }>;
  timer?: NodeJS.Timeout;
  /** Set once the handler has been stopped or has answered. */
  over?: boolean;
}

/**
 * Creates (does not start) the async-class slow server in the calling
 * process. The server's main process calls this; notebooks use
 * `startSlowServer({ workerClass: "async" })`.
 *
 * @example
 * ```ts
 * const book = new SlowServerBook();
 * const slow = createAsyncSlowServer(config, book);
 * slow.server.listen(8000, "127.0.0.1");
 * ```
 */
export function createAsyncSlowServer(config: SlowServerConfig, book: SlowServerBook) {
  const freeSlots: number[] = Array.from({ length: config.workers }, (_, i) => i + 1);
  const queue: Pending[] = [];
  const images = new ImageCache();
  let maxQueued = 0;

  function finish(p: Pending, status: number, outcome: SlowServerOutcome, end = now()): void {
    p.over = true;
    p.record.end = end;
    p.record.status = status;
    p.record.outcome = outcome;
    // Refused requests never queued; a client that left the queue waited until it left.
    const leftQueueAt = p.record.start ?? (outcome === "client-gone" ? p.record.end : p.record.arrival);
    p.record.queueWait = leftQueueAt - p.record.arrival;
    book.finish(p.record, p.record.worker ?? undefined);
  }

  function startNext(): void {
    while (freeSlots.length > 0 && queue.length > 0) void serve(queue.shift()!, freeSlots.shift()!);
  }

  function release(slot: number): void {
    freeSlots.push(slot);
    freeSlots.sort((a, b) => a - b); // the lowest free slot serves next: stable worker numbers in charts
    startNext();
  }

  function send(p: Pending, status: number, contentType: string, body: Buffer | string, extra: Record<string, string> = {}): void {
    const { res, record } = p;
    res.writeHead(status, {
      "content-type": contentType,
      "content-length": Buffer.byteLength(body),
      "x-queue-wait-ms": (record.start! - record.arrival).toFixed(1),
      "x-worker": String(record.worker),
      "x-worker-pid": String(process.pid),
      "x-accepted-at": record.start!.toFixed(3),
      "x-request-id": String(record.id),
      ...extra,
    });
    const sentAt = now(); // read before sending, so a client can never see the body before this time
    finish(p, status, status === 429 ? "limited" : "served", sentAt);
    res.end(body);
    release(record.worker!);
  }

  async function serve(p: Pending, slot: number): Promise<void> {
    const start = now();
    p.record.start = start;
    p.record.worker = slot;
    p.record.pid = process.pid;
    book.begin(slot, start, p.record.sent);
    const job = p.job;
    if (job.kind === "rate") {
      const d = book.rates.take(job.perSecond, start);
      const body = d.allowed ? `ok: within ${job.perSecond} requests per second\n` : `429 Too Many Requests: at most ${job.perSecond} per second\n`;
      send(p, d.allowed ? 200 : 429, "text/plain; charset=utf-8", body, rateHeaders(job.perSecond, d));
      return;
    }
    let status: number = job.status;
    let contentType = job.kind === "image" ? imageContentType(job.format) : job.contentType;
    let body: Buffer | string;
    try {
      body = job.kind === "image" ? await images.get(job.size, job.format) : job.body; // encoding counts against the delay
    } catch (err) {
      [status, contentType, body] = [500, "text/plain; charset=utf-8", `internal error: ${(err as Error).message}\n`];
    }
    if (p.over) return; // the client left while the image was being made
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (!p.over) send(p, status, contentType, body);
    }, Math.max(0, job.holdMs - (now() - start)));
  }

  function onClientGone(p: Pending): void {
    if (p.over) return;
    const queuedAt = queue.indexOf(p);
    if (queuedAt >= 0) {
      queue.splice(queuedAt, 1);
      finish(p, 0, "client-gone");
    } else if (p.record.worker !== null) {
      clearTimeout(p.timer); // the handler is stopped: its slot is free at once
      p.timer = undefined;
      finish(p, 0, "client-gone");
      release(p.record.worker);
    }
  }

  function refuse(res: http.ServerResponse, record: SlowServerRecord, bad: SlowRefusal, outcome: SlowServerOutcome): void {
    res.writeHead(bad.status, { "content-type": "text/plain; charset=utf-8", ...bad.headers });
    res.end(bad.message + "\n");
    record.end = now();
    record.status = bad.status;
    record.outcome = outcome;
    book.finish(record);
  }

  const server = http.createServer((req, res) => {
    const arrival = now();
    const path = req.url ?? "/";
    const pathname = path.split("?")[0];
    const method = req.method ?? "GET";
    const job = routeSlowRequest(method, pathname, config.delayMs, 0);
    if (job.kind === "stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(stats()));
      return; // /stats is not recorded
    }
    const record: SlowServerRecord = {
      id: 0,
      method,
      path,
      sent: parseSentAt(req.headers["x-sent-at"], arrival),
      arrival,
      start: null,
      end: arrival,
      worker: null,
      pid: null,
      queueWait: 0,
      status: 0,
      outcome: "invalid",
    };
    record.id = book.nextId();
    if (job.kind === "refuse") return refuse(res, record, job, "invalid");
    if (freeSlots.length === 0 && queue.length >= config.queueLimit) {
      const full: SlowRefusal = { kind: "refuse", status: 503, message: `queue full (${config.queueLimit} waiting)`, headers: { "retry-after": "1" } };
      return refuse(res, record, full, "rejected");
    }
    const withId = job.kind === "text" ? (routeSlowRequest(method, pathname, config.delayMs, record.id) as typeof job) : job;
    const pending: Pending = { record, res, job: withId };
    res.on("close", () => {
      if (!res.writableFinished) onClientGone(pending);
    });
    queue.push(pending);
    startNext();
    maxQueued = Math.max(maxQueued, queue.length);
  });

  function stats(): SlowServerStats {
    return {
      workerClass: "async",
      workers: config.workers,
      delayMs: config.delayMs,
      queueLimit: config.queueLimit,
      pids: [process.pid],
      busy: book.busy,
      queued: queue.length,
      maxBusy: book.maxBusy,
      maxQueued,
      outcomes: book.outcomes,
    };
  }

  function reset(): void {
    book.reset();
    maxQueued = queue.length;
  }

  return { server, stats, reset, close: () => images.close() };
}
