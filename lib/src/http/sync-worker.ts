/**
 * One worker of the slow server's sync class: gunicorn's sync worker, in Node.
 *
 * It is a `node:cluster` worker sharing the server's listening socket with
 * the other workers (scheduling policy SCHED_NONE: every idle worker waits on
 * the socket and the kernel hands each new connection to one of them). It
 * serves the connection it accepted from start to end *synchronously*: it
 * reads the request, holds the worker for the delay with a blocking sleep,
 * writes the response with `Connection: close` and closes the socket, all
 * inside one callback. While it does, its event loop is blocked, so it
 * accepts nothing: further connections wait in the kernel's listen backlog
 * until some worker is free. It never looks at whether the client is still
 * there, so a request whose client gave up still holds its worker to the end.
 *
 * Book-keeping goes to the server's main process over a pipe on fd 4,
 * synchronously (one JSON line each way): "begin" (gets the request id),
 * "rate" (the shared rate window), "stats", and "end" (the finished record).
 */
import * as cluster from "node:cluster";
import * as fs from "node:fs";
import * as net from "node:net";
import { STATUS_CODES } from "node:http";
import { now } from "../measure/clock";
import { ImageCache } from "./image-cache";
import { imageContentType } from "./images";
import { rateHeaders, type RateDecision } from "./rate-window";
import { parseSentAt, routeSlowRequest, type SlowJob, type SlowRefusal } from "./slow-routes";
import type { SlowServerConfig, SlowServerRecord, SlowServerStats } from "./slow-server-book";

/**
 * The pipe to the main process (the fourth stdio entry of `cluster.fork`).
 *
 * @example
 * ```ts
 * cluster.setupPrimary({ stdio: ["ignore", "inherit", "inherit", "ipc", "pipe"] }); // index 4: this pipe
 * fs.writeSync(SYNC_WORKER_PIPE_FD, JSON.stringify(message) + "\n");                  // in the worker
 * ```
 */
export const SYNC_WORKER_PIPE_FD = 4;

/** Messages a sync worker sends on its pipe; "begin", "rate" and "stats" get one reply line each. */
export type SyncWorkerMessage =
  | { t: "begin"; sent: number | null; start: number }
  | { t: "rate"; perSecond: number; at: number }
  | { t: "stats" }
  | { t: "end"; record: SlowServerRecord; held: boolean };

/** Replies of the main process, in the order asked. */
export type SyncWorkerReply = { id: number } | RateDecision | SlowServerStats;

const MAX_HEADER_BYTES = 16 * 1024;
/** A connection that sends no whole request within this time is closed (gunicorn waits until its worker timeout). */
const READ_TIMEOUT_MS = 10_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (the worker's `time.sleep`). */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

const parentPid = process.ppid;
/** Blocks for `ms` in slices, leaving at once if the main process has died (then nobody waits for us). */
function hold(ms: number): void {
  const until = now() + ms;
  for (let left = ms; left > 0; left = until - now()) {
    sleepSync(Math.min(left, 100));
    if (process.ppid !== parentPid) process.exit(0);
  }
}

// ---- the pipe to the main process -------------------------------------------------------------

let pipeBuffer = "";
const pipeChunk = Buffer.alloc(64 * 1024);

function tell(message: SyncWorkerMessage): void {
  fs.writeSync(SYNC_WORKER_PIPE_FD, JSON.stringify(message) + "\n");
}

function ask<T extends SyncWorkerReply>(message: SyncWorkerMessage): T {
  tell(message);
  for (;;) {
    const newline = pipeBuffer.indexOf("\n");
    if (newline >= 0) {
      const line = pipeBuffer.slice(0, newline);
      pipeBuffer = pipeBuffer.slice(newline + 1);
      return JSON.parse(line) as T;
    }
    let n: number;
    try {
      n = fs.readSync(SYNC_WORKER_PIPE_FD, pipeChunk, 0, pipeChunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
        hold(0.5);
        continue;
      }
      throw err;
    }
    if (n === 0) process.exit(0); // the main process has gone
    pipeBuffer += pipeChunk.toString("utf8", 0, n);
  }
}

// ---- one connection, start to end -------------------------------------------------------------

interface ParsedRequest {
  method: string;
  target: string;
  headers: Map<string, string>;
}

/** Reads until the end of the request head. null: the client closed or sent nothing in time. */
function readRequest(fd: number, accepted: number): ParsedRequest | SlowRefusal | null {
  const chunk = Buffer.alloc(MAX_HEADER_BYTES);
  let head = "";
  let pause = 0.25;
  while (!head.includes("\r\n\r\n")) {
    if (head.length > MAX_HEADER_BYTES) return { kind: "refuse", status: 431, message: "request head too large", headers: {} };
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK") return null; // reset by the client
      if (now() - accepted > READ_TIMEOUT_MS) return null;
      hold(pause); // nothing to read yet: poll, as a blocking recv() would wait
      pause = Math.min(pause * 2, 4);
      continue;
    }
    if (n === 0) return null; // the client closed before sending a whole request
    head += chunk.toString("latin1", 0, n);
  }
  const lines = head.slice(0, head.indexOf("\r\n\r\n")).split("\r\n");
  const requestLine = lines[0].match(/^([A-Z]+) (\S+) HTTP\/1\.[01]$/);
  if (!requestLine) return { kind: "refuse", status: 400, message: "malformed request line", headers: {} };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { method: requestLine[1], target: requestLine[2], headers };
}

/** Writes all of `data`, waiting while the socket's buffer is full. False if the client has gone. */
function writeAll(fd: number, data: Buffer): boolean {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset, data.length - offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK") return false; // EPIPE, ECONNRESET: the client has gone
      hold(1);
    }
  }
  return true;
}

function respond(fd: number, method: string, status: number, headers: Record<string, string>, body: Buffer | string): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}`,
    `content-length: ${bytes.length}`,
    "connection: close", // like gunicorn's sync worker: one request per connection
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ].join("\r\n");
  writeAll(fd, method === "HEAD" || status === 204 || status === 304 ? Buffer.from(head) : Buffer.concat([Buffer.from(head), bytes]));
}

function runWorker(): void {
  const config = JSON.parse(process.argv[2] ?? "{}") as SlowServerConfig;
  const worker = Number(process.env.SLOW_SERVER_WORKER);
  const images = new ImageCache();
  const base = (extra: Partial<SlowServerRecord>): SlowServerRecord => ({
    id: 0,
    method: "",
    path: "",
    sent: null,
    arrival: 0,
    start: null,
    end: 0,
    worker,
    pid: process.pid,
    queueWait: 0,
    status: 0,
    outcome: "served",
    ...extra,
  });

  function serve(fd: number, accepted: number): void {
    const request = readRequest(fd, accepted);
    if (request === null) {
      const record = base({ arrival: accepted, start: accepted, end: now(), outcome: "no-request" });
      tell({ t: "end", record, held: false });
      return;
    }
    if ("kind" in request) {
      const record = base({ arrival: accepted, start: accepted, end: now(), status: request.status, outcome: "invalid" });
      tell({ t: "end", record, held: false });
      respond(fd, "GET", request.status, { "content-type": "text/plain; charset=utf-8" }, request.message + "\n");
      return;
    }
    const { method, target, headers } = request;
    const sent = parseSentAt(headers.get("x-sent-at"), accepted);
    const pathname = target.split("?")[0];
    const job: SlowJob | SlowRefusal = routeSlowRequest(method, pathname, config.delayMs, 0);
    const common = { method, path: target, sent, arrival: sent ?? accepted, start: accepted, queueWait: sent === null ? 0 : accepted - sent };
    const workerHeaders: Record<string, string> = {
      "x-worker": String(worker),
      "x-worker-pid": String(process.pid),
      "x-accepted-at": accepted.toFixed(3),
      ...(sent === null ? {} : { "x-queue-wait-ms": (accepted - sent).toFixed(1) }),
    };
    if (job.kind === "stats") {
      const stats = ask<SlowServerStats>({ t: "stats" });
      respond(fd, method, 200, { "content-type": "application/json", ...workerHeaders }, JSON.stringify(stats));
      return; // /stats is not recorded
    }
    if (job.kind === "refuse") {
      const record = base({ ...common, id: 0, end: now(), status: job.status, outcome: "invalid" });
      tell({ t: "end", record, held: false });
      respond(fd, method, job.status, { "content-type": "text/plain; charset=utf-8", ...job.headers }, job.message + "\n");
      return;
    }
    const { id } = ask<{ id: number }>({ t: "begin", sent, start: accepted });
    workerHeaders["x-request-id"] = String(id);
    let status: number;
    let contentType = "text/plain; charset=utf-8";
    let body: Buffer | string;
    let extra: Record<string, string> = {};
    if (job.kind === "rate") {
      const decision = ask<RateDecision>({ t: "rate", perSecond: job.perSecond, at: accepted });
      status = decision.allowed ? 200 : 429;
      extra = rateHeaders(job.perSecond, decision);
      body = decision.allowed ? `ok: within ${job.perSecond} requests per second\n` : `429 Too Many Requests: at most ${job.perSecond} per second\n`;
    } else {
      try {
        if (job.kind === "image") {
          body = images.getSync(job.size, job.format); // encoding blocks this worker, and counts against the delay
          contentType = imageContentType(job.format);
        } else {
          const withId = routeSlowRequest(method, pathname, config.delayMs, id) as typeof job; // /json shows its id
          body = withId.body;
          contentType = withId.contentType;
        }
        status = job.status;
      } catch (err) {
        status = 500;
        body = `internal error: ${(err as Error).message}\n`;
      }
      hold(job.holdMs - (now() - accepted)); // the app's time.sleep(1)
    }
    const end = now(); // read before sending, so a client can never see the body before this time
    const record = base({ ...common, id, end, status, outcome: status === 429 ? "limited" : "served" });
    tell({ t: "end", record, held: true }); // before the response, so the record is in before the client hears back
    respond(fd, method, status, { "content-type": contentType, ...workerHeaders, ...extra }, body);
  }

  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    const accepted = now();
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    try {
      if (typeof fd === "number" && fd >= 0) serve(fd, accepted);
    } finally {
      socket.destroy(); // close: the client sees the end of the response
    }
  });
  // Ctrl-C in a terminal (or a Jupyter interrupt) reaches the whole process group: the main process decides.
  process.on("SIGINT", () => {});
  server.once("error", (err: NodeJS.ErrnoException) => {
    process.send?.({ type: "listen-error", code: err.code ?? "UNKNOWN", message: err.message }, () => process.exit(1));
  });
  server.listen({ port: config.port, host: config.host, backlog: config.queueLimit });
}

if ((cluster as unknown as { isWorker: boolean }).isWorker && process.env.SLOW_SERVER_WORKER !== undefined) runWorker();
