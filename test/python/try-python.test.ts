/** tryPython: the result when Python runs the file, null and one printed line when it cannot. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tryPython } from "concurrency-lab";

const dir = mkdtempSync(join(tmpdir(), "try-python-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function printed(fn: () => Promise<unknown>): Promise<{ value: unknown; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    return { value: await fn(), lines };
  } finally {
    console.log = log;
  }
}

test("a missing interpreter resolves null and says why", async () => {
  const { value, lines } = await printed(() => tryPython("x.py", [], { python: "no-such-python-here" }));
  assert.is(value, null);
  assert.is(lines.length, 1);
  assert.match(lines[0]!, /^Python skipped: .*not found/);
});

test("a failing program resolves null and says why", async () => {
  const file = join(dir, "fail.py");
  writeFileSync(file, "import sys\nif __name__ == '__main__':\n    sys.exit(3)\n");
  const { value, lines } = await printed(() => tryPython(file));
  assert.is(value, null);
  assert.match(lines[0]!, /code 3/);
});

test("a working program gives its JSON result", async () => {
  const file = join(dir, "ok.py");
  writeFileSync(file, "import json\nif __name__ == '__main__':\n    print(json.dumps({'python': 'x', 'n': 1}))\n");
  const run = await tryPython<{ n: number }>(file);
  if (run === null) return; // no python3 on this machine: nothing more to check
  assert.is(run.result.n, 1);
});

test.run();
