/**
 * The child process of {@link libuvHashBatch}: it runs `hashes` calls of
 * `crypto.pbkdf2` at once on its own libuv thread pool (sized by the
 * UV_THREADPOOL_SIZE it was started with), reports when each was submitted and
 * when its callback ran, on the machine-wide clock, and exits.
 * @internal
 */
import { pbkdf2 } from "node:crypto";
import { now } from "../measure/clock";

interface Request {
  hashes: number;
  iterations: number;
}

process.once("message", ({ hashes, iterations }: Request) => {
  const cpu0 = process.cpuUsage();
  const start = now();
  const one = () =>
    new Promise<{ submitted: number; done: number }>((resolve, reject) => {
      const submitted = now();
      pbkdf2("password", "salt", iterations, 32, "sha256", (error) =>
        error ? reject(error) : resolve({ submitted, done: now() }),
      );
    });
  Promise.all(Array.from({ length: hashes }, one)).then((spans) => {
    const wallMs = now() - start;
    const cpu = process.cpuUsage(cpu0);
    process.send!({ spans, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
  }, (error: Error) => {
    process.send!({ error: error.message }, () => process.exit(1));
  });
});
process.on("disconnect", () => process.exit(0));
