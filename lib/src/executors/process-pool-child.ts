/**
 * The entry of each ProcessPoolExecutor child process. It runs calls one at a
 * time, in the order they arrive, and exits when the parent goes away.
 * @internal
 */
import { runTaskCall } from "./task-runner";
import { serializeError } from "./remote-error";
import type { TaskCall, TaskReply } from "./task";

interface Request {
  id: number;
  call: TaskCall;
}

let previous: Promise<void> = Promise.resolve();

process.on("message", (request: Request) => {
  // Serial: an async task (fetchText) must finish before the next one starts,
  // so the parent always knows which call is running.
  previous = previous.then(() => handle(request));
});

// The parent closed the channel (shutdown) or died (kernel restart, kill -9): leave with it.
process.on("disconnect", () => process.exit(0));

// Tell the parent we are up, so a job's timeout counts its running time, not this process's start.
process.send?.({ ready: true });

async function handle({ id, call }: Request): Promise<void> {
  const reply = await runTaskCall(call);
  if (!process.connected) return;
  try {
    process.send!({ id, reply });
  } catch (error) {
    // The runner checks results, so this is only a value it could not foresee.
    const failed: TaskReply = {
      ok: false,
      error: serializeError(new TypeError(`${call.name} returned a value that cannot be sent back from pid ${process.pid}: ${(error as Error).message}`)),
      span: reply.span,
    };
    process.send!({ id, reply: failed });
  }
}
