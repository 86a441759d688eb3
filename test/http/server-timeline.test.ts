import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkLimitedClient, LECTURE_KIND_COLORS, lectureTimeline, now, PerSecondLimiter, pythonSpans, recordsBetween, serverSpans, type SlowServerRecord } from "concurrency-lab";

function record(over: Partial<SlowServerRecord>): SlowServerRecord {
  return { id: 1, method: "GET", path: "/?req=1", sent: 0, arrival: 0, start: 0, end: 100, worker: 1, pid: 10, queueWait: 0, status: 200, outcome: "served", ...over };
}

const records = [
  record({ id: 1, path: "/?req=1", sent: 0, start: 2, end: 102, worker: 1 }),
  record({ id: 2, path: "/?req=2", sent: 0, start: 102, end: 202, worker: 1, queueWait: 102 }),
  record({ id: 3, path: "/rate/1?req=3", sent: 50, start: 51, end: 52, worker: 2, status: 429, outcome: "limited" }),
];

test("serverSpans, worker view: busy bars per worker, idle gaps (even for a worker that did nothing), waits on lanes of their own", () => {
  const spans = serverSpans(records, { workers: 3, from: 0, to: 300 });
  const lane = (l: string) => spans.filter((s) => s.lane === l).map((s) => [s.kind, s.start, s.end]);
  assert.equal(lane("server · worker 1"), [["serving", 2, 102], ["serving", 102, 202], ["idle", 0, 2], ["idle", 202, 300]]);
  assert.equal(lane("server · worker 2"), [["limited", 51, 52], ["idle", 0, 51], ["idle", 52, 300]]);
  assert.equal(lane("server · worker 3"), [["idle", 0, 300]]);
  assert.equal(lane("waiting · req 2"), [["queued", 0, 102]]);
  assert.equal(lane("waiting · req 1"), [], "a 2 ms wait is connecting, not queueing");
});

test("serverSpans, request view: a lane per request, its wait then its service", () => {
  const spans = serverSpans(records, { view: "requests" });
  assert.equal(spans.filter((s) => s.lane === "server · req 2").map((s) => s.kind), ["queued", "serving"]);
  assert.not.ok(spans.some((s) => s.kind === "idle"));
});

test("pythonSpans prefixes lanes; recordsBetween keeps one run's records; lectureTimeline orders lanes", () => {
  assert.equal(pythonSpans([{ lane: "MainThread", label: "GET", start: 1, end: 2 }]), [{ label: "GET", lane: "py · MainThread", start: 1, end: 2, kind: "io" }]);
  assert.equal(recordsBetween(records, 40, 60).map((r) => r.id), [3]);
  const chart = lectureTimeline([{ label: "x", lane: "task 2", start: 0, end: 200, kind: "io" }, { label: "x", lane: "task 1", start: 0, end: 100, kind: "io" }], records, { title: "t", workers: 2 });
  const sort = (chart as unknown as { encoding: { y: { sort: string[] } } }).encoding.y.sort;
  assert.equal(sort, ["task 1", "task 2", "server · worker 1", "server · worker 2", "waiting · req 2"]);
});

test("lectureTimeline keeps a pool's queue lanes together under its threads, and gives each kind one colour in every chart", () => {
  const span = (lane: string, kind: string) => ({ label: lane, lane, start: 0, end: 10, kind });
  const client = [span("queue 10", "queued"), span("thread 10", "io"), span("queue 4", "queued"), span("thread 2", "starting")];
  const chart = lectureTimeline(client, records, { title: "t", workers: 1 }) as unknown as {
    encoding: { y: { sort: string[] }; color: { scale: { domain: string[]; range: string[] } } };
  };
  assert.equal(chart.encoding.y.sort.slice(0, 4), ["thread 2", "thread 10", "queue 4", "queue 10"]);
  const colorOf = (c: typeof chart, kind: string) => c.encoding.color.scale.range[c.encoding.color.scale.domain.indexOf(kind)];
  const without = lectureTimeline([span("main", "io")], records, { title: "t", workers: 1 }) as unknown as typeof chart;
  for (const c of [chart, without]) {
    assert.is(colorOf(c, "serving"), LECTURE_KIND_COLORS.serving, "serving looks the same with or without starting spans");
    assert.is(colorOf(c, "limited"), LECTURE_KIND_COLORS.limited);
  }
  assert.is(colorOf(chart, "starting"), LECTURE_KIND_COLORS.starting);
  assert.is.not(LECTURE_KIND_COLORS.serving, LECTURE_KIND_COLORS.starting);
});

test("PerSecondLimiter never grants more than its limit in any window", async () => {
  const limiter = new PerSecondLimiter(2, { windowMs: 100, marginMs: 0 });
  const granted: number[] = [];
  await Promise.all(Array.from({ length: 5 }, () => limiter.acquire().then(() => granted.push(now()))));
  granted.sort((a, b) => a - b);
  for (let i = 2; i < granted.length; i++) assert.ok(granted[i] - granted[i - 2] >= 100 - 1, `grants ${i - 2} and ${i} closer than the window`);
});

test("checkLimitedClient passes a client that used its limit and fails one that went one by one", () => {
  const urls = ["http://h:1/?req=1", "http://h:1/?req=2"];
  const bodies = ["ok", "ok"];
  const parallel = [record({ path: "/?req=1", start: 0, end: 100 }), record({ path: "/?req=2", start: 1, end: 101, worker: 2 })];
  assert.ok(checkLimitedClient({ urls, bodies, records: parallel, limit: 2, expectedBody: "ok" }).every((c) => c.passed));
  const oneByOne = [record({ path: "/?req=1", start: 0, end: 100 }), record({ path: "/?req=2", sent: 100, start: 100, end: 200 })];
  const checks = checkLimitedClient({ urls, bodies, records: oneByOne, limit: 2, expectedBody: "ok" });
  assert.equal(checks.filter((c) => !c.passed).map((c) => c.check), ["2 at once at some point (the limit used)"]);
});

test.run();
