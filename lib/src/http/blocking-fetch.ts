/**
 * A blocking HTTP GET: the kind of call threads exist for. Node's own HTTP
 * APIs never block, so this one hands the request to a helper thread and
 * waits for its answer with `Atomics.wait`, the way a synchronous library (a
 * legacy SDK, a database driver, Python's `requests.get`) holds its calling
 * thread until the answer is in.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { taskFrom } from "../executors/task";

/** The helper thread's program: fetch each URL it is sent, answer on the request's port, wake the caller. */
const HELPER = `
const { parentPort } = require("node:worker_threads");
const get = (url) => new Promise((resolve, reject) => {
  const req = require(url.startsWith("https:") ? "node:https" : "node:http").get(url, (res) => {
    let body = ""; res.setEncoding("utf8"); res.on("data", (c) => (body += c));
    res.on("end", () => resolve({ status: res.statusCode, statusText: res.statusMessage, body }));
    res.on("error", reject);
  });
  req.on("error", reject);
});
parentPort.on("message", ({ url, flag, port }) => {
  get(url).then((answer) => port.postMessage(answer), (e) => port.postMessage({ error: e.message }))
    .finally(() => { port.close(); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); });
});`;

/** One helper per calling thread, started on first use; it does not keep the process alive. */
let helper: Worker | undefined;

/**
 * Downloads `url` as text and blocks the calling thread until it is done:
 * nothing else runs on that thread meanwhile (on the main thread, not even
 * the event loop). The request itself runs on a helper thread, started once
 * per calling thread. Throws `Error("GET <url>: HTTP 500 …")` for a non-2xx
 * status, and an Error naming the cause when the request fails or takes
 * longer than `timeoutMs` (default 30 s).
 *
 * @example
 * ```ts
 * import { fetchTextBlocking, fetchTextBlockingTask, ThreadPoolExecutor } from "concurrency-lab";
 * fetchTextBlocking("http://127.0.0.1:8000/");              // blocks this thread
 * const pool = new ThreadPoolExecutor({ maxWorkers: 3 });
 * await pool.submit(fetchTextBlockingTask, "http://127.0.0.1:8000/"); // blocks a worker thread instead
 * ```
 */
export function fetchTextBlocking(url: string, opts: { timeoutMs?: number } = {}): string {
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) throw new TypeError(`fetchTextBlocking: url must be an http(s) URL, got ${String(url)}`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  if (!(timeoutMs > 0)) throw new RangeError(`fetchTextBlocking: timeoutMs must be > 0, got ${String(timeoutMs)}`);
  if (helper === undefined) {
    helper = new Worker(HELPER, { eval: true });
    helper.unref();
    helper.on("error", () => (helper = undefined));
    helper.on("exit", () => (helper = undefined));
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    helper.postMessage({ url, flag, port: port2 }, [port2]);
    if (Atomics.wait(flag, 0, 0, timeoutMs) === "timed-out") throw new Error(`GET ${url}: no answer within ${timeoutMs} ms`);
    const answer = receiveMessageOnPort(port1)?.message as { status: number; statusText: string; body: string } | { error: string } | undefined;
    if (answer === undefined) throw new Error(`GET ${url}: the helper thread gave no answer`);
    if ("error" in answer) throw new Error(`GET ${url}: ${answer.error}`);
    if (answer.status < 200 || answer.status > 299) throw new Error(`GET ${url}: HTTP ${answer.status} ${answer.statusText}`);
    return answer.body;
  } finally {
    port1.close();
  }
}

/**
 * {@link fetchTextBlocking} as a task for either pool: each call blocks one
 * worker, as a thread of Python's `ThreadPoolExecutor` is blocked in `requests.get`.
 *
 * @example
 * ```ts
 * import { fetchTextBlockingTask, ThreadPoolExecutor } from "concurrency-lab";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 3 });
 * const page = await pool.submit(fetchTextBlockingTask, "http://127.0.0.1:8000/");
 * ```
 */
export const fetchTextBlockingTask = taskFrom<[url: string], string>(__filename, "fetchTextBlocking");
