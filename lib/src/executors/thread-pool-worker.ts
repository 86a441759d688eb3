/**
 * The piscina worker of ThreadPoolExecutor: each thread loads this module
 * once and runs every call with the shared task runner. A batch (an array of
 * calls, sent when many small tasks are queued) runs one call after another
 * and answers with one reply per call.
 * @internal
 */
import { runTaskCall } from "./task-runner";
import type { TaskCall, TaskReply } from "./task";

export default async function runCalls(calls: TaskCall | TaskCall[]): Promise<TaskReply | TaskReply[]> {
  if (!Array.isArray(calls)) return runTaskCall(calls);
  const replies: TaskReply[] = [];
  for (const call of calls) replies.push(await runTaskCall(call));
  return replies;
}
