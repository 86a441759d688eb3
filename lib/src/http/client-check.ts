/**
 * Checking a client you wrote yourself against the slow server's own
 * records: the lecture's closing exercise, marked by the server.
 */
import type { SlowServerRecord } from "./slow-server-book";

/** One check of {@link checkLimitedClient}. */
export interface ClientCheck {
  check: string;
  passed: boolean;
  /** What was seen, in numbers. */
  seen: string;
}

/** Most [start, end) intervals open at one instant. */
function peak(intervals: Array<[number, number]>): number {
  const edges = intervals.flatMap(([a, b]) => [
    { t: a, d: 1 },
    { t: b, d: -1 },
  ]);
  edges.sort((x, y) => x.t - y.t || x.d - y.d);
  let open = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (open += e.d));
  return max;
}

/**
 * Marks a client that should fetch `urls` with at most `limit` requests in
 * flight, from what it returned and from the server's records of the run:
 * every body came back in URL order; the server never held more than `limit`
 * of them at once; it did hold `limit` at once (the client used its budget
 * rather than going one by one); and no request waited for a server worker
 * (requests the server has no send time for are not judged on that).
 *
 * @example
 * ```ts
 * import { checkLimitedClient, showTable } from "concurrency-lab";
 * await server.reset();
 * const bodies = await myClient(urls, 2);
 * showTable(checkLimitedClient({ urls, bodies, records: await server.requests(), limit: 2, expectedBody: "This is a slow web api\n" }));
 * ```
 */
export function checkLimitedClient(opts: {
  urls: readonly string[];
  bodies: readonly unknown[];
  records: readonly SlowServerRecord[];
  limit: number;
  expectedBody: string;
  /** Waits shorter than this (ms) count as connecting, not queueing. Default 20. */
  toleranceMs?: number;
}): ClientCheck[] {
  const { urls, bodies, records, limit, expectedBody, toleranceMs = 20 } = opts;
  const ok = Array.isArray(bodies) && bodies.length === urls.length && bodies.every((b) => b === expectedBody);
  const served = records.filter((r) => r.start !== null);
  const pathOf = (u: string) => {
    const url = new URL(u);
    return url.pathname + url.search;
  };
  const wanted = urls.map(pathOf);
  const allSeen = wanted.every((p) => served.some((r) => r.path === p));
  const most = peak(served.map((r) => [r.start!, r.end]));
  const waits = served.filter((r) => r.sent !== null).map((r) => r.queueWait);
  const longestWait = waits.length ? Math.max(...waits) : null;
  return [
    {
      check: `${urls.length} bodies, in URL order`,
      passed: ok,
      seen: Array.isArray(bodies) ? `${bodies.filter((b) => b === expectedBody).length} of ${bodies.length} as expected` : "no array",
    },
    { check: "the server saw every URL", passed: allSeen, seen: `${served.length} requests served` },
    { check: `never more than ${limit} at once`, passed: most <= limit, seen: `at most ${most} at once` },
    { check: `${limit} at once at some point (the limit used)`, passed: most >= Math.min(limit, urls.length), seen: `at most ${most} at once` },
    {
      check: "no request waited for a server worker",
      passed: longestWait === null || longestWait < toleranceMs,
      seen: longestWait === null ? "no send times (x-sent-at) to judge" : `longest wait ${longestWait.toFixed(0)} ms`,
    },
  ];
}
