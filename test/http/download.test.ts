import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Timeline, download, downloadSpans, servedFromHeaders, HttpStatusError } from "concurrency-lab";

/** A tiny local server: /ok answers after 30 ms saying it queued 10 ms; /missing is a 404. */
async function fixture(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const sent = Number(req.headers["x-sent-at"]);
    setTimeout(() => {
      if (req.url === "/missing") return void res.writeHead(404).end("no such thing");
      res.writeHead(200, { "x-queue-wait-ms": "10", "x-worker": "3", "x-saw-sent-at": String(Number.isFinite(sent)) });
      res.end("hello");
    }, 30);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test("servedFromHeaders prefers x-accepted-at, then x-queue-wait-ms, else null", () => {
  assert.is(servedFromHeaders(new Headers({ "x-accepted-at": "1200", "x-queue-wait-ms": "5" }), 1000), 1200);
  assert.is(servedFromHeaders(new Headers({ "x-queue-wait-ms": "250" }), 1000), 1250);
  assert.is(servedFromHeaders(new Headers({ "x-accepted-at": "junk" }), 1000), null);
  assert.is(servedFromHeaders(new Headers(), 1000), null);
});

test("download returns the body and draws a queued span, then the serving span", async () => {
  const { url, server } = await fixture();
  try {
    const timeline = new Timeline();
    const d = await download(`${url}/ok`, { timeline, lane: "slot 1", label: "ok" });
    assert.is(d.body.toString(), "hello");
    assert.is(d.status, 200);
    assert.is(d.queueWaitMs, 10);
    assert.is(d.serverWorker, "3");
    assert.ok(d.sentAt < d.servedFrom && d.servedFrom <= d.doneAt);
    const spans = timeline.spans();
    assert.equal(spans.map((s) => [s.kind, s.lane, s.label]), [["queued", "slot 1", "ok (queued)"], ["io", "slot 1", "ok"]]);
    assert.equal(downloadSpans(d, "x", "y").map((s) => s.kind), ["queued", "io"]);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("download rejects a 404 with HttpStatusError after drawing a failed span; abort rejects too", async () => {
  const { url, server } = await fixture();
  try {
    const timeline = new Timeline();
    const err = await download(`${url}/missing`, { timeline }).then(() => undefined, (e: unknown) => e as Error);
    assert.instance(err, HttpStatusError);
    assert.is((err as HttpStatusError).status, 404);
    assert.equal(timeline.spans().map((s) => s.kind), ["failed"]);
    const controller = new AbortController();
    const pending = download(`${url}/ok`, { signal: controller.signal });
    controller.abort(new Error("stop"));
    await pending.then(() => assert.unreachable("must reject"), (e: Error) => assert.is(e.message, "stop"));
    await download("" as never).then(() => assert.unreachable("must reject"), (e: Error) => assert.instance(e, TypeError));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test.run();
