/**
 * routeSlowRequest / parseSentAt: the slow server's routes as pure functions
 * (no sockets, no clocks): which path asks for what, and what is refused at once.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { RATE_LIMIT_MAX, SLOW_SERVER_MAX_DELAY_MS } from "concurrency-lab";
import { parseSentAt, routeSlowRequest, SLOW_TEXT } from "concurrency-lab/dist/http/slow-routes";

test("each route maps to its job, held for the server's delay unless the path says otherwise", () => {
  assert.equal(routeSlowRequest("GET", "/", 300, 1), {
    kind: "text", status: 200, holdMs: 300, contentType: "text/plain; charset=utf-8", body: SLOW_TEXT,
  });
  assert.equal(routeSlowRequest("GET", "/delay/250", 300, 1), {
    kind: "text", status: 200, holdMs: 250, contentType: "text/plain; charset=utf-8", body: "slept 250 ms\n",
  });
  const json = routeSlowRequest("HEAD", "/json", 300, 7);
  assert.is(json.kind, "text");
  assert.equal(JSON.parse((json as { body: string }).body), { message: SLOW_TEXT.trim(), id: 7, delayMs: 300 });
  assert.equal(routeSlowRequest("GET", "/status/404", 300, 1), {
    kind: "text", status: 404, holdMs: 300, contentType: "text/plain; charset=utf-8", body: "404 Not Found\n",
  });
  assert.equal(routeSlowRequest("GET", "/image/64.jpg", 300, 1), { kind: "image", status: 200, holdMs: 300, size: 64, format: "jpeg" });
  assert.equal(routeSlowRequest("GET", "/rate/5", 300, 1), { kind: "rate", perSecond: 5 });
  assert.equal(routeSlowRequest("GET", "/stats", 300, 1), { kind: "stats" });
});

test("bad requests are refused at once, naming what was wrong", () => {
  const refusal = (method: string, path: string) => routeSlowRequest(method, path, 300, 1) as { kind: string; status: number; message: string };
  assert.is(refusal("POST", "/").status, 405);
  assert.is(refusal("GET", "/nowhere").status, 404);
  assert.match(refusal("GET", "/nowhere").message, /\/delay\/:ms/);
  assert.match(refusal("GET", `/delay/${SLOW_SERVER_MAX_DELAY_MS + 1}`).message, /^delay ms must be a whole number/);
  assert.is(refusal("GET", "/delay/-5").status, 400);
  assert.is(refusal("GET", `/rate/${RATE_LIMIT_MAX + 1}`).status, 400);
  assert.is(refusal("GET", "/rate/0").status, 400);
  assert.match(refusal("GET", "/image/64.gif").message, /png or jpeg/);
  assert.is(refusal("GET", "/status/99").status, 400);
});

test("parseSentAt keeps a plausible send time on the shared clock and drops the rest", () => {
  assert.is(parseSentAt("1234.5", 1300), 1234.5);
  assert.is(parseSentAt(["1000", "2000"], 1300), 1000);
  assert.is(parseSentAt("1300.5", 1300), 1300, "a hair in the future is rounding: clamped");
  assert.is(parseSentAt("1340", 1300), 1300, "stamped after the accept by a client that ran late: no wait");
  assert.is(parseSentAt("5000", 1300), null, "the future");
  assert.is(parseSentAt("1", 700_000), null, "over 10 minutes old: another clock");
  assert.is(parseSentAt("abc", 1300), null);
  assert.is(parseSentAt(undefined, 1300), null);
});

test.run();
