/**
 * `npm run compare` (lib/src/cli/compare.ts) and the measurements behind it
 * (lib/src/compare.ts). The CLI runs as a real child process with small sizes.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { measureAsyncIo, measureLoopCpu, measureThreadsIo, runComparison } from "concurrency-lab";
import { rejection } from "../rejection";

const run = promisify(execFile);
const cli = require.resolve("concurrency-lab/dist/cli/compare.js");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function compare(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const SMALL = ["--io-tasks", "3", "--io-ms", "300", "--cpu-tasks", "2", "--cpu-n", "200000", "--workers", "3"];
const LINE = /^\[(Threads     |Async\/await |Processes   |Plain loop  )\] (I\/O|CPU) x(\d+) \((.+)\), (.+): (\d+\.\d{4}) s$/;

test("prints a header and the four timing lines in the document's order", async () => {
  const r = await compare(...SMALL);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, "");
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[0], /^--- Concurrency comparison \(Node\.js v\d+\.\d+\.\d+, \d+ cores\) ---$/);
  const rows = lines.slice(1).map((line) => {
    const m = LINE.exec(line);
    assert.ok(m, `not a timing line: ${JSON.stringify(line)}`);
    return { name: m[1].trim(), kind: m[2], tasks: Number(m[3]), task: m[4], who: m[5], seconds: Number(m[6]) };
  });
  assert.equal(
    rows.map((row) => `${row.name} ${row.kind} x${row.tasks}`),
    ["Threads I/O x3", "Async/await I/O x3", "Processes CPU x2", "Plain loop CPU x2"],
  );
  assert.equal(rows.map((row) => row.who), ["3 threads", "1 event loop", "3 processes", "main thread"]);
  assert.is(rows[0].task, "wait 300 ms");
  assert.is(rows[2].task, "sumOfSquares(200,000)");
  // No run can beat one 300 ms wait. (That the waits overlap is checked on the spans below, not on the clock.)
  for (const row of rows.slice(0, 2)) assert.ok(row.seconds >= 0.29, `${row.name}: ${row.seconds} s`);
});

test("with the document's sizes (no options) the four lines arrive (issue 10)", async () => {
  const r = await compare();
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").slice(1);
  assert.is(lines.length, 4, r.stdout);
  assert.ok(lines.every((line) => LINE.test(line)), r.stdout);
  assert.match(lines[0], /I\/O x4 \(wait 1000 ms\), 4 threads/);
  assert.match(lines[2], /CPU x4 \(sumOfSquares\(1,000,000\)\), 4 processes/);
});

test("without a terminal, no progress escape codes reach stdout; in a terminal, a progress line is drawn", async () => {
  const piped = await compare("--io-tasks", "1", "--io-ms", "0", "--cpu-tasks", "1", "--cpu-n", "1000", "--workers", "1");
  assert.is(piped.code, 0, piped.stderr);
  assert.not.match(piped.stdout, /\x1b\[/);
  if (spawnSync("script", ["--version"]).status !== 0) {
    console.log("  (util-linux `script` not found: terminal progress line not checked)");
    return;
  }
  // `script` gives the CLI a pseudo-terminal, where the progress line is drawn and then replaced.
  const command = [process.execPath, cli, "--io-tasks", "2", "--io-ms", "300", "--cpu-tasks", "1", "--cpu-n", "1000"].join(" ");
  const tty = spawnSync("script", ["-qc", command, "/dev/null"], { encoding: "utf8", timeout: 30_000 });
  assert.is(tty.status, 0, tty.stderr);
  assert.match(tty.stdout, /threads · I\/O \[[█░]{30}\] 0\/2 0% \d\.\d s/, "a progress line while the threads wait");
  assert.match(tty.stdout, /threads · I\/O \[█{30}\] 2\/2 100%/);
  assert.match(tty.stdout, /\x1b\[1A\r\x1b\[2K\[Threads {5}\] I\/O x2/, "the finished bar is replaced by the timing line");
});

test("--help prints the options and exits 0 without measuring", async () => {
  const r = await compare("--help");
  assert.is(r.code, 0);
  for (const flag of ["--io-tasks", "--cpu-tasks", "--workers", "--io-ms", "--cpu-n"]) assert.ok(r.stdout.includes(flag), flag);
  assert.not.match(r.stdout, /\[Threads/);
});

test("bad arguments: exit code 2 and a message naming the option", async () => {
  const cases: [string[], RegExp][] = [
    [["--workers", "0"], /--workers must be between 1 and 64, got 0/],
    [["--workers", "65"], /--workers must be between 1 and 64, got 65/],
    [["--io-tasks", "abc"], /--io-tasks must be a whole number, got "abc"/],
    [["--cpu-tasks", "2.5"], /--cpu-tasks must be a whole number, got "2\.5"/],
    [["--cpu-n", ""], /--cpu-n must be a whole number, got ""/],
    [["--io-ms=-5"], /--io-ms must be between 0 and 60,000, got -5/],
    [["--io-task", "3"], /Unknown option '--io-task'/],
    [["--workers"], /--workers/],
    [["extra"], /positional argument/i],
  ];
  const results = await Promise.all(cases.map(([args]) => compare(...args)));
  results.forEach((r, i) => {
    const [args, message] = cases[i];
    assert.is(r.code, 2, `${args.join(" ")}: exit code`);
    assert.match(r.stderr, message, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /npm run compare -- --help/);
    assert.is(r.stdout, "", `${args.join(" ")}: nothing measured`);
  });
});

test("the lib functions validate their arguments by name", async () => {
  const cases: [() => Promise<unknown>, ErrorConstructor, RegExp][] = [
    [() => measureAsyncIo({ tasks: 0 }), RangeError, /^tasks must be between 1 and 10000, got 0$/],
    [() => measureLoopCpu({ n: 1.5 }), TypeError, /^n must be an integer, got 1\.5$/],
    [() => runComparison({ workers: 100 }), RangeError, /^workers must be between 1 and 64, got 100$/],
    [() => runComparison({ ioMs: -1 }), RangeError, /^ioMs must be between 0 and 60000, got -1$/],
  ];
  for (const [work, kind, message] of cases) {
    const err = await rejection(work);
    assert.instance(err, kind);
    assert.match(err.message, message);
  }
});

test("threads on I/O: one lane per thread, the waits overlap, start-up comes before the first task", async () => {
  const r = await measureThreadsIo({ tasks: 2, ms: 200 });
  const spans = r.timeline.spans().filter((s) => s.lane !== "main");
  assert.is(spans.length, 2);
  assert.is(new Set(spans.map((s) => s.lane)).size, 2, "two different threads");
  assert.ok(spans.every((s) => s.kind === "waiting"));
  assert.ok(Math.max(...spans.map((s) => s.start)) < Math.min(...spans.map((s) => s.end)), "the two waits overlap");
  assert.ok(r.startupMs > 0 && r.startupMs < r.wallMs);
  assert.ok(r.wallMs >= 200, `wall ${r.wallMs} ms`); // a lower bound only: the overlap is shown by the spans
});

test.run();
