/**
 * The piscina worker of ThreadPoolExecutor: each thread loads this module
 * once and runs every call with the shared task runner. A batch (an array of
 * calls, sent when many small tasks are queued) runs one call after another
 * and answers with one reply per call.
 * @internal
 */
import { runTaskCall } from "./task-runner";
import type { TaskCall, TaskReply } from "./task";

/**
 * Runs one call, or a batch of calls one after another, in this worker thread.
 *
 * @example
 * ```ts
 * const call = { module: "", name: "double", source: "(x) => 2 * x", argsList: [[21]] };
 * (await runCalls(call)).values;   // [42]
 * (await runCalls([call, call])).length; // 2: one reply per call
 * ```
 */
export default async function runCalls(calls: TaskCall | TaskCall[]): Promise<TaskReply | TaskReply[]> {
  if (!Array.isArray(calls)) return runTaskCall(calls);
  const replies: TaskReply[] = [];
  for (const call of calls) replies.push(await runTaskCall(call));
  return replies;
}
