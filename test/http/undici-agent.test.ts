/**
 * undiciAgent: an Agent for the built-in fetch when the undici package is
 * installed (then it limits connections), or a clear reason when it is not.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { countConnections, undiciAgent } from "concurrency-lab";

test("undiciAgent checks its options", () => {
  assert.throws(() => undiciAgent({ connections: 0 }), (e: unknown) => e instanceof RangeError && String(e).includes("connections"));
  assert.throws(() => undiciAgent({ keepAliveTimeout: -1 }), (e: unknown) => e instanceof RangeError);
});

test("an agent limits the built-in fetch's connections, or the reason names the package", async () => {
  const pool = undiciAgent({ connections: 2 });
  if (pool.agent === null) {
    assert.match(pool.reason, /undici/);
    console.log(`  (no undici package: ${pool.reason})`);
    return;
  }
  const server = http.createServer((_q, r) => setTimeout(() => r.end("ok"), 10)).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const init = { dispatcher: pool.agent } as RequestInit;
    const c = await countConnections(() => Promise.all(Array.from({ length: 6 }, () => fetch(url, init).then((r) => r.text()))));
    assert.is(c.mostOpen, 2);
  } finally {
    await pool.agent.close();
    server.closeAllConnections();
    server.close();
  }
});

test.run();
