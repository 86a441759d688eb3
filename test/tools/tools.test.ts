import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { repoRoot } from "../../tools/env";
import { kernelSpec } from "../../tools/register-kernel";
import { cellsWithOutputs, executeNotebook, listNotebooks, printPdf } from "../../tools/notebooks";
import { checkJupyter, findChromium } from "../../tools/prereqs";

const node = process.execPath;
const built = (f: string) => join(repoRoot, "build", "tools", f);

test("doctor names the missing Jupyter packages and the command that installs them", () => {
  const r = spawnSync(node, [built("doctor.js")], { encoding: "utf8", env: { ...process.env, PYTHON: "/nonexistent/python3" } });
  assert.is(r.status, 1);
  assert.match(r.stdout, /✗ Jupyter/);
  assert.match(r.stdout, /apt-get install jupyter-notebook python3-nbconvert python3-nbclient/);
  assert.match(r.stdout, /not ready: Jupyter/);
});

test("handouts fails with the doctor's message, not a stack trace, when Jupyter is missing", () => {
  const r = spawnSync(node, [built("handouts.js")], { encoding: "utf8", env: { ...process.env, PYTHON: "/nonexistent/python3" } });
  assert.is(r.status, 1);
  assert.match(r.stderr, /npm run handouts cannot run/);
  assert.match(r.stderr, /python3-nbclient/);
  assert.not.match(r.stderr, /\n\s+at /);
});

test("kernel registration is idempotent and points at this checkout's tslab", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cl-jupyter-"));
  const env = { ...process.env, JUPYTER_DATA_DIR: dataDir };
  const first = spawnSync(node, [built("register-kernel.js")], { encoding: "utf8", env });
  const second = spawnSync(node, [built("register-kernel.js")], { encoding: "utf8", env });
  assert.match(first.stdout, /registered/);
  assert.match(second.stdout, /already registered/);
  const spec = JSON.parse(readFileSync(join(dataDir, "kernels", "tslab", "kernel.json"), "utf8"));
  assert.equal(spec, kernelSpec());
  assert.is(spec.argv[1], join(repoRoot, "node_modules", "tslab", "bin", "tslab"));
});

test("notebook_text.py round-trips a notebook through its text form", () => {
  const dir = mkdtempSync(join(tmpdir(), "cl-nbtext-"));
  const text = "// %% [markdown]\n// # Title\n//\n// Some *text*.\n\n// %%\nconst x = 1;\nconsole.log(x);\n";
  writeFileSync(join(dir, "a.ts"), text);
  const py = "python3";
  const toIpynb = spawnSync(py, [join(repoRoot, "tools", "notebook_text.py"), "to-ipynb", join(dir, "a.ts"), join(dir, "a.ipynb")]);
  assert.is(toIpynb.status, 0, String(toIpynb.stderr));
  const nb = JSON.parse(readFileSync(join(dir, "a.ipynb"), "utf8"));
  assert.is(nb.metadata.kernelspec.name, "tslab");
  assert.equal(nb.cells.map((c: { cell_type: string }) => c.cell_type), ["markdown", "code"]);
  const back = spawnSync(py, [join(repoRoot, "tools", "notebook_text.py"), "to-text", join(dir, "a.ipynb")], { encoding: "utf8" });
  assert.is(back.stdout, text);
});

test("committed notebooks carry no outputs or execution counts, and use the tslab kernel", () => {
  const notebooks = listNotebooks();
  assert.ok(notebooks.length >= 1, "no notebooks found");
  for (const nb of notebooks) {
    assert.equal(cellsWithOutputs(nb), [], `${nb}: cells with outputs`);
    const meta = JSON.parse(readFileSync(nb, "utf8")).metadata;
    assert.is(meta.kernelspec?.name, "tslab", `${nb}: kernelspec`);
  }
});

test("a failing cell stops the notebook and is reported with its number and error text", async () => {
  const jupyter = checkJupyter();
  assert.ok(jupyter.ok, jupyter.detail);
  const dir = mkdtempSync(join(tmpdir(), "cl-fail-"));
  const text = '// %% [markdown]\n// # t\n\n// %%\nconsole.log("fine");\n\n// %%\nthrow new RangeError("boom here");\n\n// %%\nconsole.log("never");\n';
  writeFileSync(join(dir, "fail.ts"), text);
  spawnSync("python3", [join(repoRoot, "tools", "notebook_text.py"), "to-ipynb", join(dir, "fail.ts"), join(dir, "fail.ipynb")]);
  const r = await executeNotebook(jupyter.python!, join(dir, "fail.ipynb"), dir, { html: false });
  assert.is(r.status, "error");
  assert.is(r.cell, 3);
  assert.match(r.error ?? "", /RangeError: boom here/);
  const executed = JSON.parse(readFileSync(join(dir, "fail.ipynb"), "utf8"));
  assert.equal(executed.cells[3].outputs, [], "the cell after the failure must not run");
});

test("the HTML handout carries each chart as an inline SVG with its marks, and prints to PDF", async () => {
  const jupyter = checkJupyter();
  assert.ok(jupyter.ok, jupyter.detail);
  const dir = mkdtempSync(join(tmpdir(), "cl-handout-"));
  const [setupCheck] = listNotebooks(["00-setup-check"]);
  const r = await executeNotebook(jupyter.python!, setupCheck!, dir);
  assert.is(r.status, "ok", r.error);
  const html = readFileSync(r.html!, "utf8");
  const svgs = html.match(/<svg [^>]*class="marks"[\s\S]*?<\/svg>/g) ?? [];
  assert.ok(svgs.length >= 1, "no inline chart SVG in the HTML");
  for (const svg of svgs) assert.match(svg, /<path|<rect/, "an inline SVG lost its marks");
  assert.not.match(html, /<script[^>]+src="http/, "the handout must not fetch scripts from the network");
  const chromium = findChromium();
  if (!chromium) return console.log("  (Chromium not found: PDF not checked)");
  const pdf = join(dir, "00.pdf");
  printPdf(chromium, r.html!, pdf);
  assert.is(readFileSync(pdf).subarray(0, 5).toString(), "%PDF-");
});

test.run();
