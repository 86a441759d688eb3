// Tasks that misbehave on purpose, for the executor tests (loaded by workers from build/test).
import { taskFrom } from "concurrency-lab";

export class QuotaError extends Error {
  code = "E_QUOTA";
  limit = 3;
}

export function failWithQuota(): never {
  throw new QuotaError("quota of 3 exceeded");
}

export function exitWith(code: number): never {
  process.exit(code);
}

export function returnFunction(): () => number {
  return () => 42;
}

export function whoAmI(): { pid: number; lane: string } {
  const { threadId, isMainThread } = require("node:worker_threads");
  return { pid: process.pid, lane: isMainThread ? `pid ${process.pid}` : `thread ${threadId}` };
}

export const fixtureTasks = {
  failWithQuota: taskFrom<[], never>(__filename, "failWithQuota"),
  exitWith: taskFrom<[code: number], never>(__filename, "exitWith"),
  returnFunction: taskFrom<[], () => number>(__filename, "returnFunction"),
  whoAmI: taskFrom<[], { pid: number; lane: string }>(__filename, "whoAmI"),
};
