/**
 * `npm run handouts [-- name ...]`: executes every notebook headless on the real
 * tslab kernel and writes, under build/handouts/, the executed .ipynb, an HTML
 * export (charts as inline SVG) and a PDF printed by headless Chromium.
 */
import { existsSync, statSync } from "node:fs";
import { join, basename, relative } from "node:path";
import { repoRoot } from "./env";
import { checkJupyter, checkKernel, checkNode, findChromium, requireChecks } from "./prereqs";
import { listNotebooks, executeNotebook, printPdf } from "./notebooks";

interface Row {
  notebook: string;
  seconds: number;
  cells: number;
  status: string;
}

async function main(): Promise<void> {
  const jupyter = checkJupyter();
  requireChecks("npm run handouts", [checkNode(), jupyter, checkKernel()]);
  let notebooks: string[];
  try {
    notebooks = listNotebooks(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const outDir = join(repoRoot, "build", "handouts");
  const chromium = findChromium();
  if (!chromium) console.log("PDFs skipped: Chromium not found (Debian: `sudo apt-get install chromium`, or set CHROMIUM=/path).");

  const rows: Row[] = [];
  for (const [i, nb] of notebooks.entries()) {
    const name = basename(nb, ".ipynb");
    process.stdout.write(`[${i + 1}/${notebooks.length}] ${name} … `);
    const r = await executeNotebook(jupyter.python!, nb, outDir);
    let status = r.status === "ok" ? "ok" : `failed at cell ${r.cell ?? "?"}`;
    if (r.status === "ok" && chromium && r.html) {
      try {
        printPdf(chromium, r.html, r.html.replace(/\.html$/, ".pdf"));
        status = "ok (ipynb, html, pdf)";
      } catch (err) {
        status = `ok (no pdf: ${(err as Error).message})`;
      }
    } else if (r.status === "ok") {
      status = "ok (ipynb, html)";
    }
    console.log(`${r.seconds.toFixed(1)} s, ${status}`);
    if (r.status !== "ok") {
      console.error(`  ${relative(repoRoot, nb)}: cell ${r.cell ?? "?"} failed:\n    ${(r.error ?? "").split("\n").join("\n    ")}`);
      console.error(`  partial output: ${relative(process.cwd(), r.ipynb ?? outDir)}`);
    }
    rows.push({ notebook: name, seconds: r.seconds, cells: r.cells, status });
  }

  const w = Math.max(8, ...rows.map((r) => r.notebook.length));
  console.log(`\n${"notebook".padEnd(w)}  seconds  cells  status`);
  for (const r of rows) {
    console.log(`${r.notebook.padEnd(w)}  ${r.seconds.toFixed(1).padStart(7)}  ${String(r.cells).padStart(5)}  ${r.status}`);
  }
  const pdfs = rows.filter((r) => existsSync(join(outDir, `${r.notebook}.pdf`)) && statSync(join(outDir, `${r.notebook}.pdf`)).size > 0);
  console.log(`\nhandouts in ${relative(process.cwd(), outDir) || "."} (${pdfs.length} PDF${pdfs.length === 1 ? "" : "s"})`);
  if (rows.some((r) => !r.status.startsWith("ok"))) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(`npm run handouts: ${err.message}`);
  process.exit(1);
});
