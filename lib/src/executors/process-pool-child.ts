/**
 * The entry of each ProcessPoolExecutor child process. It runs calls one at a
 * time, in the order they arrive, and exits when the parent goes away.
 * @internal
 */
import { runTaskCall } from "./task-runner";
import { serializeError } from "./remote-error";
import type { TaskCall, TaskReply } from "./task";
import { exitWithParent } from "../lifecycle/parent-death";

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
// stdin is the parent's own (inherited), so it is not watched. A child busy in a
// synchronous task notices only after it; on Linux the parent-death signal
// (forkTiedToParent) ends it at once.
exitWithParent({ stdin: false });

// Jupyter's interrupt and Ctrl-C send SIGINT to the whole process group: the
// parent decides what happens to its children (see ProcessPoolExecutor), so a
// child ignores it. The pool stops a child that was running a task; an idle
// child stays warm.
process.on("SIGINT", () => {});

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
