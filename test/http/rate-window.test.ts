import { test } from "uvu";
import * as assert from "uvu/assert";
import { listenQueue, rateHeaders, RateWindows } from "concurrency-lab";
import * as net from "node:net";

test("RateWindows allows `limit` per fixed window and says how long until the next one", () => {
  const w = new RateWindows(1000);
  assert.equal(w.take(2, 5000), { allowed: true, remaining: 1, resetMs: 1000 });
  assert.equal(w.take(2, 5100), { allowed: true, remaining: 0, resetMs: 900 });
  assert.equal(w.take(2, 5999), { allowed: false, retryAfterMs: 1, resetMs: 1 });
  assert.equal(w.take(3, 5999), { allowed: true, remaining: 2, resetMs: 1 }, "each limit counts on its own");
  assert.equal(w.take(2, 6000), { allowed: true, remaining: 1, resetMs: 1000 }, "a new window starts afresh");
  w.clear();
  assert.is(w.take(2, 6001).allowed, true);
  assert.is(w.take(2, 6002).allowed, true);
  assert.is(w.take(2, 6003).allowed, false);
});

test("rateHeaders: Retry-After in whole seconds (at least 1), the exact wait in ms", () => {
  assert.equal(rateHeaders(5, { allowed: false, retryAfterMs: 250.4, resetMs: 250.4 }), {
    "x-ratelimit-limit": "5",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset-ms": "250",
    "retry-after": "1",
    "x-retry-after-ms": "251",
  });
  assert.is(rateHeaders(5, { allowed: true, remaining: 3, resetMs: 10 })["retry-after"], undefined);
});

test("listenQueue reads a listening socket's accept queue from /proc (null where there is none)", async () => {
  const server = net.createServer().listen({ port: 0, host: "127.0.0.1", backlog: 7 });
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const q = listenQueue(port);
    if (q === null) return; // not Linux
    assert.equal(q, { waiting: 0 });
  } finally {
    server.close();
  }
  assert.is(listenQueue(port), null);
});

test.run();
