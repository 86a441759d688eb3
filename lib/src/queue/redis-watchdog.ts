/**
 * The watchdog between the notebook and its private redis-server.
 *
 * redis-server cannot notice that the process that started it has died, so
 * {@link startRedis} does not start it directly: it forks this small Node
 * process, which starts redis-server and watches its own IPC channel to the
 * notebook. When the channel closes (close(), the kernel exiting, or the
 * kernel killed with SIGKILL), the watchdog stops redis-server (SIGTERM, so a
 * persistent server writes its data; SIGKILL after 3 s) and exits. If
 * redis-server dies by itself, the watchdog tells the parent and exits too.
 * On Linux both are also started with a parent-death signal (`setpriv
 * --pdeathsig`), so even a SIGKILL of the watchdog itself takes redis-server along.
 * @internal
 */
import { spawn } from "node:child_process";
import { tieToParent } from "../lifecycle/parent-death";

/** What the parent sends as argv[2] (JSON). @internal */
export interface WatchdogConfig {
  /** Path of redis-server. */
  server: string;
  /** redis-server's command-line arguments. */
  args: string[];
}

/** Messages from the watchdog to its parent. @internal */
export type WatchdogMessage =
  | { type: "ready"; pid: number }
  | { type: "failed"; message: string; log: string }
  | { type: "exited"; code: number | null; signal: string | null; log: string };

if (require.main === module) main();

function main(): void {
  const config = JSON.parse(process.argv[2] ?? "{}") as WatchdogConfig;
  // On Linux, redis-server also gets SIGTERM the moment this watchdog dies, even by SIGKILL.
  const [file, args] = tieToParent(config.server, config.args, "SIGTERM");
  const redis = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  let ready = false;
  const tell = (message: WatchdogMessage) => {
    if (process.connected) process.send!(message);
  };
  const onOutput = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
    if (!ready && /Ready to accept connections/.test(log)) {
      ready = true;
      tell({ type: "ready", pid: redis.pid! });
    }
  };
  redis.stdout.on("data", onOutput);
  redis.stderr.on("data", onOutput);
  redis.on("error", (error) => {
    tell({ type: "failed", message: `cannot start ${config.server}: ${error.message}`, log });
    process.exit(1);
  });
  redis.on("exit", (code, signal) => {
    if (!ready) tell({ type: "failed", message: `redis-server exited before it was ready (code ${code}, signal ${signal})`, log });
    else tell({ type: "exited", code, signal, log });
    // Let the message go out before leaving.
    setImmediate(() => process.exit(0));
  });

  // The parent closed the channel (close()) or died (kernel exit, kill -9): take redis-server along.
  process.on("disconnect", () => {
    redis.kill("SIGTERM");
    setTimeout(() => redis.kill("SIGKILL"), 3000).unref();
  });
  // A SIGTERM or SIGINT to the watchdog itself (Ctrl-C in a terminal, a process manager) also stops redis.
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(signal, () => {
      redis.kill("SIGTERM");
      setTimeout(() => redis.kill("SIGKILL"), 3000).unref();
    });
  }
}
