/** Finding and executing the notebooks: shared by `npm run handouts` and the notebook test. */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import { tmpdir } from "node:os";
import { spawn, spawnSync } from "node:child_process";
import { repoRoot } from "./env";
import { redisAvailable } from "concurrency-lab/dist/queue/redis-server";

export const notebooksDir = join(repoRoot, "notebooks");

/** Notebook paths in order; `filter` keeps those whose file name contains any of the given words. */
export function listNotebooks(filter: string[] = []): string[] {
  const all = readdirSync(notebooksDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(notebooksDir, f));
  if (filter.length === 0) return all;
  const chosen = all.filter((p) => filter.some((w) => basename(p).includes(w)));
  if (chosen.length === 0) {
    throw new Error(`no notebook matches ${filter.join(", ")}; there are: ${all.map((p) => basename(p)).join(", ")}`);
  }
  return chosen;
}

/**
 * Why the notebook test should skip a notebook on this machine, or undefined to run it:
 * notebook 06 (the job queue) needs Redis. Never skipped in CI (CI=true), where a missing
 * redis-server must fail the test instead.
 */
export function notebookSkipReason(notebook: string): string | undefined {
  if (process.env.CI === "true") return undefined;
  if (basename(notebook).startsWith("06-")) {
    const redis = redisAvailable();
    if (!redis.ok) return `it needs Redis (${redis.how}). To run it: ${redis.fix}`;
  }
  return undefined;
}

export interface ExecutionResult {
  status: "ok" | "error";
  cells: number;
  seconds: number;
  cell?: number | null;
  error?: string;
  stderr: { cell: number; text: string }[];
  ipynb?: string;
  html?: string;
}

/**
 * Executes a notebook on the real tslab kernel with nbclient (tools/execute_notebook.py),
 * writing the executed copy (and HTML unless `html` is false) to `outDir`. The kernel gets
 * CONCURRENCY_LAB_RESULTS_DIR=outDir, so the notebook's results JSON lands there too.
 */
export function executeNotebook(
  python: string,
  notebook: string,
  outDir: string,
  opts: { html?: boolean; timeoutSeconds?: number } = {},
): Promise<ExecutionResult> {
  const script = join(repoRoot, "tools", "execute_notebook.py");
  const args = [script, notebook, outDir, "--timeout", String(opts.timeoutSeconds ?? 600)];
  if (opts.html === false) args.push("--no-html");
  return new Promise((resolvePromise, reject) => {
    // The kernel inherits this: a notebook's saveResults() writes its results JSON beside the executed copy.
    const env = { ...process.env, CONCURRENCY_LAB_RESULTS_DIR: outDir };
    const child = spawn(python, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolvePromise(JSON.parse(line) as ExecutionResult);
      } catch {
        reject(new Error(`executing ${basename(notebook)} failed (exit ${code}): ${err.trim().slice(-2000) || out}`));
      }
    });
  });
}

/** Prints an HTML file to PDF with headless Chromium. */
export function printPdf(chromium: string, html: string, pdf: string): void {
  const profile = mkdtempSync(join(tmpdir(), "cl-chromium-"));
  try {
    const r = spawnSync(
      chromium,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        `--user-data-dir=${profile}`, "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=5000", `--print-to-pdf=${pdf}`, `file://${resolve(html)}`,
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`chromium could not print ${basename(html)}: ${(r.stderr || "").trim().slice(-500)}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Code cells with outputs or execution counts: committed notebooks must have none. */
export function cellsWithOutputs(notebook: string): number[] {
  const nb = JSON.parse(readFileSync(notebook, "utf8")) as { cells: { outputs?: unknown[]; execution_count?: number | null }[] };
  return nb.cells.flatMap((c, i) => ((c.outputs?.length ?? 0) > 0 || c.execution_count != null ? [i + 1] : []));
}
