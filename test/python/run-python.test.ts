/**
 * runPython and showSource on small fixture programs in test/python/fixtures.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { COUNTER_RACE_PY, PythonRunError, runPython, showSource } from "concurrency-lab";
import { withFakeKernel } from "../show/fake-kernel";

/** The fixtures stay in the source tree (tsc copies only .ts): build/test/python -> test/python/fixtures. */
const FIXTURES = join(__dirname, "..", "..", "..", "test", "python", "fixtures");
const fixture = (name: string) => join(FIXTURES, name);

async function failure(p: Promise<unknown>): Promise<PythonRunError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  assert.instance(e, PythonRunError, `expected a PythonRunError, got ${String(e)}`);
  return e as PythonRunError;
}

test("runPython returns the JSON last line, the version, the wall time and the output", async () => {
  const run = await runPython<{ python: string; args: string[]; sum: number }>(fixture("prints_json.py"), [1, "2", 39]);
  assert.equal(run.result.args, ["1", "2", "39"]);
  assert.is(run.result.sum, 42);
  assert.match(run.python, /^3\.\d+\.\d+/);
  assert.is(run.python, run.result.python);
  assert.ok(run.wallMs > 0 && Number.isFinite(run.wallMs), `wallMs ${run.wallMs}`);
  assert.match(run.stdout, /^working\.\.\.\n\{/);
  assert.is(run.stderr, "");
});

test("runPython asks the interpreter for its version when the program does not report it", async () => {
  const run = await runPython<number[]>("no_version.py", [], { cwd: FIXTURES });
  assert.equal(run.result, [1]);
  assert.match(run.python, /^3\.\d+\.\d+/);
});

test("a non-zero exit is an error naming the file, the exit code and the stderr tail", async () => {
  const e = await failure(runPython(fixture("fails.py")));
  assert.is(e.reason, "exit");
  assert.is(e.exitCode, 3);
  assert.match(e.message, /fails\.py/);
  assert.match(e.message, /exited with code 3/);
  assert.match(e.message, /ValueError: the last words/);
  assert.not.match(e.message, /noise line 0\n/, "only the tail of stderr");
  assert.match(e.stderrTail, /noise line 29\nValueError/);
});

test("a last line that is not JSON is an error that quotes it", async () => {
  const e = await failure(runPython(fixture("bad_json.py")));
  assert.is(e.reason, "bad-json");
  assert.is(e.exitCode, 0);
  assert.match(e.message, /bad_json\.py/);
  assert.match(e.message, /not JSON/);
  assert.match(e.message, /single/);
});

test("timeoutMs stops the program and the child is gone", async () => {
  const started = Date.now();
  const e = await failure(runPython(fixture("sleeps.py"), [], { timeoutMs: 500 }));
  assert.is(e.reason, "timeout");
  assert.ok(Date.now() - started < 60_000, "stopped before the program's 60 s sleep ended");
  assert.match(e.message, /sleeps\.py.*500 ms timeout/);
  const pid = Number(e.stdout.trim());
  assert.is(pid, e.pid);
  assert.throws(() => process.kill(pid, 0), /ESRCH/, "the python process no longer exists");
});

test("a missing interpreter is a 'no-python' error; bad options are refused", async () => {
  const e = await failure(runPython(fixture("prints_json.py"), [], { python: "python3-that-does-not-exist" }));
  assert.is(e.reason, "no-python");
  assert.match(e.message, /python3-that-does-not-exist.*not found/);
  assert.throws(() => runPython(fixture("prints_json.py"), [], { timeoutMs: 0 }), RangeError);
});

test("showSource shows a file, or the lines between two marks, highlighted and dedented", async () => {
  let shown = "";
  const [out] = await withFakeKernel(() => {
    shown = showSource("no_version.py", { cwd: FIXTURES, from: "# start here", to: "# end here" });
  });
  assert.is(shown, "# start here\nx = 1\nreturn x  # end here");
  assert.is(out!.data["text/plain"], shown);
  assert.match(String(out!.data["text/markdown"]), /^`no_version\.py` \(lines 6-8\)\n\n```python\n# start here\n/);
  assert.match(String(out!.data["text/markdown"]), /# end here\n```$/);

  const [whole] = await withFakeKernel(() => showSource(fixture("fails.py")));
  assert.match(String(whole!.data["text/plain"]), /^"""Test fixture[\s\S]*sys\.exit\(3\)$/);
  assert.throws(() => showSource(fixture("fails.py"), { from: "no such text" }), /no line of .*fails\.py contains/);
  assert.throws(() => showSource(fixture("fails.py"), { from: 99 }), RangeError);
});

test("the race lab's Python program ships with the lib and runs alone", async () => {
  assert.ok(existsSync(COUNTER_RACE_PY), COUNTER_RACE_PY);
  const run = await runPython<{ python: string; plain: unknown[]; readCallWrite: unknown[] }>(COUNTER_RACE_PY, [1000, 1]);
  assert.is(run.result.plain.length, 1);
  assert.is(run.result.readCallWrite.length, 1);
});

test.run();
