/**
 * The slow server's main process (gunicorn's "arbiter"), forked by
 * `startSlowServer` (slow-server.ts) so that a notebook cell that blocks its
 * own event loop cannot stall the server. Only the parent talks to it, over
 * the IPC channel; when that channel closes (the parent exited, was killed,
 * or called close()) the process stops its workers and exits.
 *
 * Sync class (the default): it forks `workers` cluster workers
 * (sync-worker.ts) that share one listening socket and serve one request at
 * a time each; it keeps the records they report over their pipes and answers
 * `/stats` at once on a control port of its own (the workers' `/stats` waits
 * for a free worker like any request). A worker that dies is replaced, as
 * gunicorn's arbiter does.
 *
 * Async class: it runs the event-loop server (async-slow-server.ts) itself.
 */
import * as http from "node:http";
import type { Socket } from "node:net";
import { createAsyncSlowServer } from "./async-slow-server";
import { listenQueue } from "./listen-queue";
import { SlowServerBook, type SlowServerConfig, type SlowServerRecord, type SlowServerStats } from "./slow-server-book";
import { SYNC_WORKER_PIPE_FD, type SyncWorkerMessage } from "./sync-worker";

export { SLOW_SERVER_MAX_DELAY_MS } from "./slow-routes";
export type {
  SlowServerConfig,
  SlowServerOutcome,
  SlowServerRecord,
  SlowServerStats,
  SlowServerWorkerClass,
} from "./slow-server-book";

/** Messages from the parent to the server process. Every one is answered by a reply with the same id. */
export type ParentMessage = { type: "requests" | "reset" | "stats"; id: number };

/** Messages from the server process to the parent. */
export type ChildMessage =
  | { type: "listening"; port: number; statsPort: number; pids: number[] }
  | { type: "listen-error"; code: string; message: string }
  | { type: "record"; record: SlowServerRecord }
  | { type: "reply"; id: number; data: unknown };

/** What either class gives the main process. */
interface RunningClass {
  stats(): SlowServerStats;
  reset(): void;
  stop(): void;
}

type Report = (msg: ChildMessage) => void;

function startAsyncClass(config: SlowServerConfig, book: SlowServerBook, report: Report, listening: (port: number, pids: number[]) => void): RunningClass {
  const slow = createAsyncSlowServer(config, book);
  slow.server.once("error", (err: NodeJS.ErrnoException) => {
    report({ type: "listen-error", code: err.code ?? "UNKNOWN", message: err.message });
    process.exit(1);
  });
  slow.server.listen({ port: config.port, host: config.host }, () => {
    const address = slow.server.address();
    listening(typeof address === "object" && address ? address.port : config.port, [process.pid]);
  });
  return { stats: slow.stats, reset: slow.reset, stop: slow.close };
}

function startSyncClass(config: SlowServerConfig, book: SlowServerBook, report: Report, listening: (port: number, pids: number[]) => void): RunningClass {
  // The kernel, not the main process, decides which idle worker accepts each connection.
  process.env.NODE_CLUSTER_SCHED_POLICY = "none";
  const cluster = require("node:cluster") as typeof import("node:cluster").default;
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({
    exec: require.resolve("./sync-worker"),
    args: [JSON.stringify(config)],
    execArgv: [], // not the parent's flags: an --inspect port would clash
    stdio: ["ignore", "inherit", "inherit", "ipc", "pipe"], // fd 4: the worker's pipe to us
  });
  const pids = new Map<number, number>(); // worker index -> pid
  let port = 0;
  let stopping = false;
  let started = false;
  let failures = 0;

  function fork(index: number): void {
    const w = cluster.fork({ SLOW_SERVER_WORKER: String(index) });
    pids.set(index, w.process.pid!);
    const pipe = w.process.stdio[SYNC_WORKER_PIPE_FD] as Socket;
    let buffered = "";
    pipe.setEncoding("utf8");
    pipe.on("data", (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const reply = handle(index, JSON.parse(line) as SyncWorkerMessage);
        if (reply !== undefined) pipe.write(JSON.stringify(reply) + "\n");
      }
    });
    pipe.on("error", () => {}); // the worker died: its "exit" handles it
    w.on("listening", (address: { port: number }) => {
      port = address.port;
      listeningWorkers.add(index);
      if (!started && listeningWorkers.size === config.workers) {
        started = true;
        listening(port, [...pids.values()]);
      }
    });
    w.on("message", (msg: { type?: string; code?: string; message?: string }) => {
      if (msg.type === "listen-error" && !started) {
        stopping = true;
        report({ type: "listen-error", code: msg.code ?? "UNKNOWN", message: msg.message ?? "" });
        stopAll();
        process.exit(1);
      }
    });
    w.on("exit", () => {
      pids.delete(index);
      listeningWorkers.delete(index);
      if (stopping) return;
      // A worker died: replace it, as gunicorn's arbiter does (but not in a crash loop at start-up).
      if (!started && ++failures > config.workers) {
        report({ type: "listen-error", code: "WORKER_EXIT", message: "the sync workers keep exiting at start-up" });
        process.exit(1);
      }
      fork(index);
    });
  }

  const listeningWorkers = new Set<number>(); // worker indexes

  function handle(index: number, m: SyncWorkerMessage): unknown {
    switch (m.t) {
      case "begin":
        book.begin(index, m.start, m.sent);
        return { id: book.nextId() };
      case "rate":
        return book.rates.take(m.perSecond, m.at);
      case "stats":
        return stats();
      case "end":
        if (m.held) book.finish(m.record, index);
        else book.finish({ ...m.record, id: book.nextId() });
        return undefined;
    }
  }

  function stats(): SlowServerStats {
    return {
      workerClass: "sync",
      workers: config.workers,
      delayMs: config.delayMs,
      queueLimit: config.queueLimit,
      pids: [...pids.entries()].sort((a, b) => a[0] - b[0]).map(([, pid]) => pid),
      busy: book.busy,
      queued: port === 0 ? null : (listenQueue(port)?.waiting ?? null),
      maxBusy: book.maxBusy,
      maxQueued: book.maxQueuedFromSendTimes(config.workers),
      outcomes: book.outcomes,
    };
  }

  function stopAll(): void {
    stopping = true;
    // SIGTERM ends a worker at once, even in the middle of a request (it has no handler for it).
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
  }

  for (let i = 1; i <= config.workers; i++) fork(i);
  return { stats, reset: () => book.reset(), stop: stopAll };
}

/** The main of the server process: start the chosen class, answer the parent, exit with it. */
function runMain(): void {
  const report: Report = (msg) => {
    if (process.connected) process.send?.(msg);
  };
  const config = JSON.parse(process.argv[2] ?? "{}") as SlowServerConfig;
  const book = new SlowServerBook(config.streamRecords ? (record) => report({ type: "record", record }) : undefined);
  let running: RunningClass | undefined;

  // /stats at once, on a port of its own: the sync class's own port would queue it behind busy workers.
  const control = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify(running?.stats() ?? null));
  });
  const listening = (port: number, pids: number[]) => {
    control.listen(0, config.host, () => {
      const address = control.address();
      const statsPort = typeof address === "object" && address ? address.port : 0;
      report({ type: "listening", port, statsPort, pids });
    });
  };
  running = config.workerClass === "sync" ? startSyncClass(config, book, report, listening) : startAsyncClass(config, book, report, listening);

  const stop = () => {
    running?.stop();
    process.exit(0);
  };
  // The parent owns this process: it exits when the parent closes the channel or dies.
  process.on("disconnect", stop);
  process.on("SIGTERM", stop);
  // Ctrl-C in a terminal reaches the whole process group; let the parent decide when to stop.
  process.on("SIGINT", () => {});

  process.on("message", (msg: ParentMessage) => {
    // Records that workers wrote just before answering their clients may still be in our pipes:
    // let this turn of the event loop read them first.
    setImmediate(() => {
      if (msg.type === "requests") report({ type: "reply", id: msg.id, data: book.records() });
      else if (msg.type === "stats") report({ type: "reply", id: msg.id, data: running!.stats() });
      else if (msg.type === "reset") {
        running!.reset();
        report({ type: "reply", id: msg.id, data: null });
      }
    });
  });
}

if (require.main === module) runMain();
