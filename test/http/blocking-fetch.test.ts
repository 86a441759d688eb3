/**
 * fetchTextBlocking: a GET that blocks its thread. Checks the body, the error
 * for a non-2xx status and for a refused connection, and the task form in a
 * thread pool. No wall-clock bound.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { fetchTextBlocking, fetchTextBlockingTask, ThreadPoolExecutor } from "concurrency-lab";

let server: Server;
let base = "";

test.before(async () => {
  server = createServer((req, res) => {
    if (req.url === "/fail") {
      res.writeHead(500, "Oops");
      res.end("no");
      return;
    }
    res.end(`hello ${req.url}`);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

// The server runs on this thread's event loop, which a blocking call here would freeze:
// the blocking calls go to a worker thread, as they would in a notebook.
test("the task returns the body and throws on an HTTP error, from a worker thread", async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  try {
    assert.is(await pool.submit(fetchTextBlockingTask, `${base}/a`), "hello /a");
    const error = (await pool.submit(fetchTextBlockingTask, `${base}/fail`).catch((e: unknown) => e)) as Error;
    assert.match(error.message, /HTTP 500 Oops/);
  } finally {
    await pool.shutdown();
  }
});

test("a refused connection and a bad URL are errors", () => {
  assert.throws(() => fetchTextBlocking("http://127.0.0.1:1/"), /ECONNREFUSED/);
  assert.throws(() => fetchTextBlocking("ftp://x"), (e: unknown) => e instanceof TypeError);
});

test.run();
