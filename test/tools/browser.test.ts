/**
 * Every chart and table of the executed notebooks, rendered in Chromium by JupyterLab 4's own
 * rendermime registry and vega5 extension: JupyterLab must pick the vega-lite 5 type for each chart
 * (in a trusted and an untrusted notebook) and draw marks, tables must render rows, and the page
 * must log no error. Reads the executed copies the notebook test writes to build/test-notebooks.
 * Without Chromium the test is skipped with a message, except in CI (CI=true), where it fails.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../tools/env";
import { findChromium } from "../../tools/prereqs";
import { jupyterlabRendererBundle } from "../../tools/browser-bundle";

const VEGALITE = "application/vnd.vegalite.v5+json";
const executedDir = join(repoRoot, "build", "test-notebooks");
const inCI = process.env.CI === "true";

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface Report {
  mime: string | null;
  marks: number;
  canvases: number;
  tableRows: number;
  text: string;
}

/** The display outputs of each executed notebook that carry a chart or a table. */
function executedOutputs(): { notebook: string; cell: number; output: Output }[] {
  const found: { notebook: string; cell: number; output: Output }[] = [];
  for (const file of readdirSync(executedDir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const nb = JSON.parse(readFileSync(join(executedDir, file), "utf8"));
    nb.cells.forEach((cell: { outputs?: Output[] }, i: number) => {
      for (const raw of cell.outputs ?? []) {
        // nbformat may store a text as a list of lines; JupyterLab joins them before rendering.
        const data = Object.fromEntries(Object.entries(raw.data ?? {})
          .map(([mime, v]) => [mime, Array.isArray(v) ? v.join("") : v]));
        const output = { ...raw, data };
        const table = typeof data["text/html"] === "string" && /<table/.test(data["text/html"] as string);
        const chart = Object.keys(data).some((m) => m.startsWith("application/vnd.vegalite") || m === "image/svg+xml");
        if (chart || table) found.push({ notebook: file, cell: i + 1, output });
      }
    });
  }
  return found;
}

/** A command's full path: playwright needs a path where findChromium may give a name on PATH. */
function onPath(command: string): string {
  if (command.includes("/")) return command;
  const dir = (process.env.PATH ?? "").split(":").find((d) => existsSync(join(d, command)));
  return dir ? join(dir, command) : command;
}

test("JupyterLab's renderer picks vega-lite 5 for every chart and draws it; tables render", async () => {
  const chromium = findChromium();
  if (!chromium) {
    assert.not.ok(inCI, "Chromium is required in CI for the browser test");
    console.log("  skipped: Chromium not found (Debian: `sudo apt-get install chromium`, or set CHROMIUM=/path)");
    return;
  }
  if (!existsSync(executedDir) || readdirSync(executedDir).length === 0) {
    assert.not.ok(inCI, "no executed notebooks in build/test-notebooks: the notebook test must run first");
    console.log("  skipped: no executed notebooks yet (run the notebook test first)");
    return;
  }
  const outputs = executedOutputs();
  assert.ok(outputs.length > 0, "the executed notebooks have no chart or table outputs");
  const { chromium: launcher } = await import("playwright-core");
  const browser = await launcher.launch({
    executablePath: onPath(chromium),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: await jupyterlabRendererBundle() });
    let charts = 0;
    let tables = 0;
    for (const { notebook, cell, output } of outputs) {
      const where = `${notebook} cell ${cell}`;
      const isChart = !/<table/.test(String(output.data?.["text/html"] ?? ""));
      for (const trusted of isChart ? [true, false] : [true]) {
        const args = { data: output.data, metadata: output.metadata, trusted };
        const r: Report = await page.evaluate((a) => (globalThis as any).renderOutput(a), args);
        if (isChart) {
          assert.is(r.mime, VEGALITE, `${where}: JupyterLab picked ${r.mime} (trusted: ${trusted})`);
          assert.ok(r.marks > 0, `${where}: the vega-lite chart drew no marks`);
        } else {
          assert.is(r.mime, "text/html", `${where}: JupyterLab picked ${r.mime} for a table`);
          assert.ok(r.tableRows > 1, `${where}: the table rendered ${r.tableRows} rows`);
        }
      }
      if (isChart) charts += 1;
      else tables += 1;
      assert.equal(errors, [], `${where}: the page logged errors`);
    }
    const notebooks = new Set(outputs.map((o) => o.notebook)).size;
    console.log(`  JupyterLab's renderer: ${charts} charts (vega-lite 5, with marks) and ${tables} tables ` +
      `from ${notebooks} notebooks, no console error`);
  } finally {
    await browser.close();
  }
});

test.run();
