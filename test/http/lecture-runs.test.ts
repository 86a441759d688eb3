import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "node:path";
import { spawn } from "node:child_process";
import {
  aboveFloorBars, clientCpuDuring, compareClients, fetchAsync, machineInfo, memoryPeakDuring, nodeClient, pythonClient,
  runChart, startSlowServer, waitFloor, wholeProgramMs, type Experiment, type LectureRun,
} from "concurrency-lab";

const PY = path.join(__dirname, "..", "..", "..", "notebooks", "python");
const python3 = machineInfo().python3 !== null;

test("compareClients runs Node and Python clients interleaved and keeps each one's last run with its server records", async () => {
  const server = await startSlowServer({ workers: 3, delayMs: 50 });
  try {
    const urls = [1, 2, 3].map((i) => `${server.url}/?req=${i}`);
    const { experiment, last, runs } = await compareClients({
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
      for (const r of run.records) assert.ok(r.sent! >= run.start && r.end <= run.end, `${name}: records inside the run ${JSON.stringify([run.start, run.end, r.sent, r.start, r.end])}`);
      assert.ok(run.spans.length >= 3);
      assert.ok(experiment.variants[name].medianMs >= 50, "no run beats the floor");
    }
    for (const name of experiment.order) {
      assert.is(runs[name].length, 2, `${name}: every run is kept`);
      const judged = experiment.variants[name].samplesMs;
      runs[name].forEach((r, i) => assert.ok(Math.abs(r.clientMs - judged[i]) < 0.01, `${name}: the client's own time is judged`));
    }
    assert.is(last.Node.clientMs, last.Node.wallMs, "Node: the call is the client's work");
    if (python3) {
      assert.ok(last.Python.spans.every((s) => s.lane.startsWith("py · ")));
      assert.ok(last.Python.clientMs < last.Python.wallMs, "Python: the interpreter's start-up is left out of the client's time");
      assert.ok(last.Python.startupCpuMs > 0, "Python reports the CPU its start-up used");
      assert.ok(wholeProgramMs(runs.Python) >= experiment.variants.Python.medianMs, "the whole program takes longer than its client part");
      if (last.Python.cpuMs !== null) assert.ok(last.Python.cpuMs >= 0);
    }
    const chart = runChart(last.Node, "t") as unknown as { encoding: { y: { sort: string[] } } };
    assert.ok(chart.encoding.y.sort.includes("server · worker 3"), "every worker has a lane, idle or not");
  } finally {
    await server.close();
  }
});

/** A child that burns `ms` of CPU each time it reads a line, says "done", and stays alive. */
function burner(ms: number) {
  const code = `process.stdin.on("data", () => { const c0 = process.cpuUsage();
    for (;;) { const c = process.cpuUsage(c0); if ((c.user + c.system) / 1000 >= ${ms}) break; }
    process.stdout.write("done\\n"); });`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["pipe", "pipe", "inherit"] });
  const burn = () => new Promise<void>((resolve) => {
    child.stdout.once("data", () => resolve());
    child.stdin.write("go\n");
  });
  return { child, burn };
}

test("clientCpuDuring counts child processes' CPU, except the ones it is told to leave out", async () => {
  const { child, burn } = burner(300);
  try {
    const included = await clientCpuDuring(burn);
    if (included.cpuMs === null) return; // no /proc: nothing to count
    assert.ok(included.cpuMs >= 200, `a child's 300 ms of CPU should count, got ${included.cpuMs}`);
    const excluded = await clientCpuDuring(burn, () => [child.pid!]);
    assert.ok(excluded.cpuMs! < included.cpuMs - 150, `left out: ${excluded.cpuMs} against ${included.cpuMs}`);
  } finally {
    child.kill("SIGKILL");
  }
});

test("aboveFloorBars: client, whole-program and lecture bars above each floor; suspect values are left out and named", () => {
  const stats = (medianMs: number, suspect = false) => ({ medianMs, suspect, reason: suspect ? "below its floor" : null, bound: { floorMs: 300, why: "1 round" } });
  const e = {
    variants: { Node: stats(320), Python: stats(350), "Python, fork": stats(250, true) },
    ratios: [{ variant: "Python", suspect: false, reason: null }, { variant: "Python, fork", suspect: true, reason: "below its floor" }],
  } as unknown as Experiment;
  const run = (wallMs: number) => ({ wallMs }) as LectureRun;
  const { bars, leftOut } = aboveFloorBars(
    { "03-threads": { experiment: e, runs: { Python: [run(500), run(400), run(450)] } }, "03-processes": { experiment: e, runs: {} } },
    { "03-threads": { realS: 1.2, floorS: 1 } },
    { node: ["Node"], python: ["Python"] },
  );
  const value = (label: string, series: string) => bars.find((b) => b.label === label && b.series === series)?.value;
  assert.is(value("threads", "Node, client"), 20);
  assert.is(value("threads", "Python, client"), 50);
  assert.is(value("threads", "Python, whole program"), 150, "median of the whole runs, 450, above 300");
  assert.ok(Math.abs(value("threads", "lecture (2017), whole program")! - 200) < 1e-9);
  assert.is(value("processes", "lecture (2017), whole program"), undefined, "no lecture figure given");
  const fork = aboveFloorBars({ "03-processes": { experiment: e, runs: { "Python, fork": [run(260)] } } }, {}, { node: [], python: ["Python, fork"] });
  assert.equal(fork.bars, []);
  assert.equal(fork.leftOut, ["processes / Python, fork (Python, client): below its floor", "processes / Python, fork (Python, whole program): below its floor"]);
  assert.ok(leftOut.length === 0);
  assert.throws(() => wholeProgramMs([]), /no runs/);
});

test("memoryPeakDuring returns the value, the memory before and a peak at least as high", async () => {
  const m = await memoryPeakDuring(async () => Buffer.alloc(8 * 2 ** 20, 1).length, { everyMs: 5 });
  assert.is(m.value, 8 * 2 ** 20);
  assert.ok(m.peak >= m.before);
  assert.ok(m.measure === "PSS" || m.measure === "RSS");
});

test.run();
