/**
 * `npm run slow-server -- --workers 3 --delay 1000 --port 8000 [--worker-class sync|async]`
 *
 * Runs the lecture's slow web API outside a notebook (for curl, a browser or
 * a Python client) and logs one line per finished request. Ctrl-C stops it.
 * `--worker-class` picks how it serves, as `startSlowServer`'s `workerClass`:
 * `sync` (default, gunicorn's sync workers: processes, kernel backlog,
 * `Connection: close`, no disconnect detection) or `async` (one event loop
 * with its own queue, keep-alive, 503 when full, `client-gone`).
 * It also stops when the process that started it goes away: the end of a
 * piped stdin, a closed IPC channel or a new parent pid (see exitWithParent),
 * so a notebook's demo cannot leave it listening after the kernel dies.
 */
import { parseArgs } from "node:util";
import { startSlowServer, type SlowServer, type SlowServerRecord } from "../http/slow-server";
import { exitWithParent } from "../lifecycle/parent-death";

const USAGE = `usage: npm run slow-server -- [--workers N] [--delay MS] [--port P] [--host H]
                              [--queue-limit N] [--worker-class sync|async]

  --workers N        requests served at once (gunicorn -w N)             default 3
  --delay MS         how long each request holds its worker              default 1000
  --port P           TCP port, 0 for any free one                        default 8000
  --host H           address to bind (loopback keeps it off the network) default 127.0.0.1
  --worker-class C   sync (default): gunicorn's sync workers, one process each; waiting
                     connections sit in the kernel's backlog; Connection: close; a client
                     that leaves is not noticed. async: one event loop with its own queue,
                     keep-alive; a request whose client left is stopped
  --queue-limit N    requests that may wait. sync: the listen backlog (default 2048; beyond
                     it the kernel drops connection attempts, no HTTP answer). async: its
                     queue (default 1000; one more gets 503)`;

function integerFlag(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new RangeError(`--${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function logLine(r: SlowServerRecord): string {
  const t = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;
  const worker = r.worker === null ? "  -" : `w${r.worker}`.padStart(3);
  const served = r.start === null ? "        " : t(r.end - r.start);
  return `#${String(r.id).padEnd(4)} ${r.method} ${r.path.padEnd(20)} ${String(r.status || "---")} ${worker}  queued ${t(r.queueWait)}  took ${served}  ${r.outcome}`;
}

let running: SlowServer | undefined;

async function main(): Promise<void> {
  exitWithParent({ beforeExit: () => running?.close() });
  const { values } = parseArgs({
    options: {
      workers: { type: "string" },
      delay: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "queue-limit": { type: "string" },
      "worker-class": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const workers = integerFlag("workers", values.workers, 3);
  const delayMs = integerFlag("delay", values.delay, 1000);
  const workerClass = values["worker-class"] ?? "sync";
  if (workerClass !== "sync" && workerClass !== "async") {
    throw new RangeError(`--worker-class must be sync or async, got ${JSON.stringify(workerClass)}`);
  }
  const server = await startSlowServer({
    workerClass,
    workers,
    delayMs,
    port: integerFlag("port", values.port, 8000),
    host: values.host ?? "127.0.0.1",
    queueLimit: integerFlag("queue-limit", values["queue-limit"], workerClass === "sync" ? 2048 : 1000),
    onRequest: (r) => console.log(logLine(r)),
  });
  running = server;
  console.log(
    `slow server on ${server.url}  (${workers} ${workerClass} workers, ${delayMs} ms per request; Ctrl-C stops it)`,
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: Error & { code?: string }) => {
  const badArguments = err instanceof RangeError || err.code?.startsWith("ERR_PARSE_ARGS") === true;
  console.error(`${err.message}${badArguments ? `\n\n${USAGE}` : ""}`);
  process.exit(1);
});
