/**
 * A blocking HTTP GET: the kind of call threads exist for. Node's own HTTP
 * APIs never block, so this one runs the request in a short-lived `node`
 * child and waits for it synchronously (`execFileSync`), the way a
 * synchronous library (a legacy SDK, a database driver, Python's
 * `requests.get`) holds its calling thread until the answer is in.
 */
import { execFileSync } from "node:child_process";
import { taskFrom } from "../executors/task";

/** The child's program: GET argv[1], print the body, exit 1 with the status on stderr when it is not 2xx. */
const GET_PROGRAM = [
  `const url = process.argv[1];`,
  `require(url.startsWith("https:") ? "node:https" : "node:http").get(url, (res) => {`,
  `  let body = ""; res.setEncoding("utf8"); res.on("data", (c) => (body += c));`,
  `  res.on("end", () => { if (res.statusCode >= 200 && res.statusCode < 300) process.stdout.write(body);`,
  `    else { process.stderr.write("HTTP " + res.statusCode + " " + res.statusMessage); process.exitCode = 1; } });`,
  `}).on("error", (e) => { process.stderr.write(e.message); process.exitCode = 1; });`,
].join("\n");

/**
 * Downloads `url` as text and blocks the calling thread until it is done:
 * nothing else runs on that thread meanwhile (on the main thread, not even
 * the event loop). Throws `Error("GET <url>: HTTP 500 …")` for a non-2xx
 * status, and an Error naming the cause when the request fails or takes
 * longer than `timeoutMs` (default 30 s). Each call starts a `node` child,
 * which adds tens of milliseconds: it stands for a blocking call, not a fast one.
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
  const timeout = opts.timeoutMs ?? 30_000;
  try {
    return execFileSync(process.execPath, ["-e", GET_PROGRAM, url], {
      encoding: "utf8",
      timeout,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 2 ** 20,
    });
  } catch (error) {
    const e = error as Error & { stderr?: string; signal?: string | null };
    if (e.signal === "SIGTERM") throw new Error(`GET ${url}: no answer within ${timeout} ms`);
    const why = (e.stderr ?? "").trim() || e.message;
    throw new Error(`GET ${url}: ${why}`);
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
