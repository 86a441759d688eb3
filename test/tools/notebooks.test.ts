/**
 * Executes every notebook headless on the real tslab kernel (nbclient) and
 * fails on any error output, stderr text, or cell failure, and on outputs a
 * reader should not see (tools/reader-checks.ts).
 * Set NOTEBOOKS=01,03 to run only some.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { basename, join } from "node:path";
import { repoRoot } from "../../tools/env";
import { checkJupyter, checkKernel } from "../../tools/prereqs";
import { executeNotebook, listNotebooks, notebookSkipReason } from "../../tools/notebooks";
import { readFileSync } from "node:fs";
import { formatProblems, readerProblems } from "../../tools/reader-checks";

const jupyter = checkJupyter();
const kernel = checkKernel();
const outDir = join(repoRoot, "build", "test-notebooks");
const filter = (process.env.NOTEBOOKS ?? "").split(",").filter(Boolean);

for (const nb of listNotebooks(filter)) {
  const skip = notebookSkipReason(nb);
  if (skip !== undefined) console.log(`  skipping ${basename(nb)}: ${skip}`);
  (skip === undefined ? test : test.skip)(`notebook ${basename(nb)} runs with no error output`, async () => {
    assert.ok(jupyter.ok, `${jupyter.name}: ${jupyter.detail}. Fix: ${jupyter.fix}`);
    assert.ok(kernel.ok, `${kernel.name}: ${kernel.detail}. Fix: ${kernel.fix}`);
    const r = await executeNotebook(jupyter.python!, nb, outDir, { html: false, timeoutSeconds: 300 });
    const where = r.status === "ok" ? "" : ` at cell ${r.cell}: ${r.error}`;
    assert.is(r.status, "ok", `${basename(nb)} failed${where}`);
    assert.equal(r.stderr, [], `${basename(nb)} wrote error output`);
    // What a reader sees: no [object Object], NaN, undefined numbers, or chart labels cut with "…".
    const seen = readerProblems(JSON.parse(readFileSync(r.ipynb!, "utf8")));
    assert.ok(seen.length === 0, `${basename(nb)} shows a reader:\n${formatProblems(seen)}`);
    console.log(`  ${basename(nb)}: ${r.cells} cells in ${r.seconds} s`);
  });
}

test.run();
