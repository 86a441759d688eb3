// Tasks that only the queue tests send to queue workers (by module path: the workers run on this
// machine, so they load this compiled file). They let a test decide when a job ends, instead of
// guessing how long it takes.
import * as fs from "node:fs";

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks its worker (synchronously, as a CPU task would) until the file `gate` exists, or for at
 * most `maxMs`; then writes `doneFile` (when given) and returns how it ended. A test opens the gate
 * when it wants the job to finish, and reads `doneFile` to know whether the job ever finished.
 */
export function holdUntil(gate: string, maxMs: number, doneFile?: string): "opened" | "gave up" {
  const deadline = Date.now() + maxMs;
  while (!fs.existsSync(gate) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 10);
  const outcome = fs.existsSync(gate) ? "opened" : "gave up";
  if (doneFile !== undefined) fs.writeFileSync(doneFile, outcome);
  return outcome;
}
