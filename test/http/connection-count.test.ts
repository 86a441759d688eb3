/** countConnections: connections opened and most open at once, for node-fetch with an agent and for built-in fetch. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import fetch from "node-fetch";
import { countConnections } from "concurrency-lab";

async function withServer(fn: (url: string) => Promise<void>) {
  const server = http.createServer((_q, r) => setTimeout(() => r.end("ok"), 10)).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test("an agent with maxSockets 2 keeps at most 2 connections open", () =>
  withServer(async (url) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    try {
      const c = await countConnections(() => Promise.all(Array.from({ length: 6 }, () => fetch(url, { agent }).then((r) => r.text()))));
      assert.is(c.value.length, 6);
      assert.is(c.mostOpen, 2);
      assert.is(c.opened, 2);
      const again = await countConnections(() => fetch(url, { agent }).then((r) => r.text()));
      assert.is(again.opened, 0, "a kept-alive socket is reused, not opened");
    } finally {
      agent.destroy();
    }
  }));

test("built-in fetch is counted too", () =>
  withServer(async (url) => {
    const c = await countConnections(() => globalThis.fetch(url).then((r) => r.text()));
    assert.is(c.opened, 1, "a new server: one new connection");
    assert.is(c.value, "ok");
  }));

test.run();
