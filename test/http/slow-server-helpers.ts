/** Helpers shared by the slow-server tests. */
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { now, sleep, startSlowServer, type SlowServer, type SlowServerRecord } from "concurrency-lab";

/** Runs `body` against a fresh server and always closes it. */
export async function withServer(options: Parameters<typeof startSlowServer>[0], body: (s: SlowServer) => Promise<void>) {
  const server = await startSlowServer(options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** GET with the send time in `x-sent-at`, as the lib's clients send it. */
export async function get(url: string, opts: { signal?: AbortSignal; sentAt?: boolean } = {}) {
  const headers: Record<string, string> = opts.sentAt === false ? {} : { "x-sent-at": now().toFixed(3) };
  const res = await fetch(url, { signal: opts.signal, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()), doneAt: now() };
}

/** Most records whose [start, end) intervals overlap at one instant. */
export function maxOverlap(records: SlowServerRecord[]): number {
  const edges = records
    .filter((r) => r.start !== null)
    .flatMap((r) => [
      { t: r.start!, d: +1 },
      { t: r.end, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d); // an end at the same instant as a start counts first
  let open = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (open += e.d));
  return max;
}

/** Asserts that `fn` rejects with a message matching `pattern`. */
export async function rejects(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const outcome = await fn().then(
    () => undefined,
    (err: Error) => err,
  );
  assert.instance(outcome, Error, `expected a rejection matching ${pattern}`);
  assert.match(outcome!.message, pattern);
}

/** True while `pid` runs. A zombie (exited, not yet reaped by an orphan-adopting init) counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (not Linux): kill(pid, 0) is all we can tell
  }
}

/** Polls `condition` every 20 ms; true as soon as it holds, false if it never did within `ms` (a hang guard, not a timing claim). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = now() + ms;
  while (now() < deadline) {
    if (await condition()) return true;
    await sleep(20);
  }
  return condition();
}

/** The record whose path ends with `tail`. */
export function byPath(records: SlowServerRecord[], tail: string): SlowServerRecord {
  const r = records.find((x) => x.path.endsWith(tail));
  assert.ok(r, `no record for ${tail} in ${records.map((x) => x.path).join(", ")}`);
  return r!;
}
