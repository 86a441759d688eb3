import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "node:path";
import {
  compareClients, fetchAsync, machineInfo, memoryPeakDuring, nodeClient, pythonClient, runChart, startSlowServer, waitFloor,
} from "concurrency-lab";

const PY = path.join(__dirname, "..", "..", "..", "notebooks", "python");
const python3 = machineInfo().python3 !== null;

test("compareClients runs Node and Python clients interleaved and keeps each one's last run with its server records", async () => {
  const server = await startSlowServer({ workers: 3, delayMs: 50 });
  try {
    const urls = [1, 2, 3].map((i) => `${server.url}/?req=${i}`);
    const { experiment, last } = await compareClients({
      id: "test-compare-clients", question: "3 requests at once", server,
      variants: {
        Node: nodeClient(() => fetchAsync(urls)),
        Python: pythonClient(path.join(PY, "03_client_async.py"), [server.url, 3], python3),
        Missing: undefined,
      },
      floor: waitFloor({ tasks: 3, workers: 3, delayMs: 50 }),
    });
    assert.equal(experiment.order, python3 ? ["Node", "Python"] : ["Node"]);
    assert.is(experiment.rounds, 2);
    for (const name of experiment.order) {
      const run = last[name];
      assert.is(run.records.length, 3, `${name}: the server's records of its last run`);
      for (const r of run.records) assert.ok(r.sent! >= run.start && r.end <= run.end, `${name}: records inside the run`);
      assert.ok(run.spans.length >= 3);
      assert.ok(experiment.variants[name].medianMs >= 50, "no run beats the floor");
    }
    if (python3) {
      assert.ok(last.Python.spans.every((s) => s.lane.startsWith("py · ")));
      assert.ok(last.Python.cpuMs !== null && last.Python.cpuMs > 0, "Python reports its CPU time");
    }
    const chart = runChart(last.Node, "t") as unknown as { encoding: { y: { sort: string[] } } };
    assert.ok(chart.encoding.y.sort.includes("server · worker 3"), "every worker has a lane, idle or not");
  } finally {
    await server.close();
  }
});

test("memoryPeakDuring returns the value, the memory before and a peak at least as high", async () => {
  const m = await memoryPeakDuring(async () => Buffer.alloc(8 * 2 ** 20, 1).length, { everyMs: 5 });
  assert.is(m.value, 8 * 2 ** 20);
  assert.ok(m.peak >= m.before);
  assert.ok(m.measure === "PSS" || m.measure === "RSS");
});

test.run();
