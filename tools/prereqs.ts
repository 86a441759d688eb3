/**
 * The pieces the notebooks need, each with a check and the exact command that
 * fixes it. `npm run doctor` prints them all; every other script calls
 * `require*` for the ones it needs and fails with the same message.
 */
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { findNotebookPython } from "./env";
import { kernelSpecPath } from "./register-kernel";
import { redisAvailable } from "concurrency-lab/dist/queue/redis-server";
import { nodeLineRow, TESTED_NODE_LINES } from "concurrency-lab/dist/setup/readiness";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to run when `ok` is false. */
  fix: string;
  /** False for pieces only some scripts need (Chromium: PDF only). */
  required: boolean;
}


export function checkNode(): Check {
  // One list of tested lines for the lib, the doctor and notebook 00 (lib/src/setup/readiness.ts).
  const row = nodeLineRow();
  const newest = TESTED_NODE_LINES[TESTED_NODE_LINES.length - 1];
  return {
    name: `Node.js, a tested LTS line (${TESTED_NODE_LINES.join(", ")})`,
    ok: row.ok,
    detail: `node ${process.version} at ${process.execPath}: ${row.detail}`,
    fix: `install Node.js ${newest} LTS: \`conda install -c conda-forge nodejs=${newest}\`, or with nvm: \`nvm install ${newest}\`, then \`npm ci\` again`,
    // Older lines that still run (20.19+) are a warning: the kit works there but CI does not test it.
    required: row.required,
  };
}

export function checkJupyter(): Check & { python: string | null } {
  const python = findNotebookPython();
  let detail = "no Python with nbclient and nbconvert found (tried $PYTHON, jupyter's, python3, /usr/bin/python3)";
  if (python) {
    const v = spawnSync(python, ["-c", "import nbclient, nbconvert; print(nbclient.__version__, nbconvert.__version__)"], {
      encoding: "utf8",
    });
    const [nbclient, nbconvert] = v.stdout.trim().split(" ");
    detail = `${python}: nbclient ${nbclient}, nbconvert ${nbconvert}`;
  }
  return {
    name: "Jupyter (nbclient, nbconvert)",
    ok: python !== null,
    python,
    detail,
    fix:
      "Debian/Ubuntu: `sudo apt-get install jupyter-notebook python3-nbconvert python3-nbclient`; " +
      "conda: `conda env create -f environment.yml && conda activate concurrency-lab`",
    required: true,
  };
}

export function checkKernel(): Check {
  const file = kernelSpecPath();
  let ok = false;
  let detail = `no kernelspec at ${file}`;
  if (existsSync(file)) {
    try {
      const spec = JSON.parse(readFileSync(file, "utf8")) as { argv?: string[] };
      const missing = (spec.argv ?? []).slice(0, 2).filter((p) => !existsSync(p));
      ok = missing.length === 0 && (spec.argv?.length ?? 0) >= 2;
      detail = ok ? `${file} -> ${spec.argv![1]}` : `${file} points at missing ${missing.join(", ") || "nothing"}`;
    } catch (err) {
      detail = `${file} is not valid JSON: ${(err as Error).message}`;
    }
  }
  return { name: "tslab kernel registered", ok, detail, fix: "`npm run register-kernel` (npm install runs it too)", required: true };
}

/** Chromium for PDF handouts: $CHROMIUM, then the usual command names. */
export function findChromium(): string | null {
  const names = [process.env.CHROMIUM, "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"].filter((n): n is string => !!n);
  for (const name of names) {
    const r = spawnSync(name, ["--version"], { encoding: "utf8" });
    if (r.status === 0) return name;
  }
  return null;
}

export function checkChromium(): Check {
  const chromium = findChromium();
  let detail = "not found (tried $CHROMIUM, chromium, chromium-browser, google-chrome)";
  if (chromium) detail = `${chromium}: ${spawnSync(chromium, ["--version"], { encoding: "utf8" }).stdout.trim()}`;
  return {
    name: "Chromium (PDF handouts only)",
    ok: chromium !== null,
    detail,
    fix: "Debian: `sudo apt-get install chromium`; elsewhere install Chrome/Chromium and set CHROMIUM=/path/to/it",
    required: false,
  };
}

/** Redis for notebook 06 (the job queue): a redis-server to start, or REDIS_URL. Without it, 06 shows how to get it. */
export function checkRedis(): Check {
  const redis = redisAvailable();
  return {
    name: "Redis (notebook 06, the job queue, only)",
    ok: redis.ok,
    detail: redis.how,
    fix: redis.fix,
    required: false,
  };
}

export function allChecks(): Check[] {
  return [checkNode(), checkJupyter(), checkKernel(), checkChromium(), checkRedis()];
}

/** Prints what is missing and how to fix it, then exits 1, for scripts that need these pieces. */
export function requireChecks(script: string, checks: Check[]): void {
  for (const c of checks.filter((c) => !c.ok && !c.required)) console.warn(`warning: ${c.name}: ${c.detail}\n  fix: ${c.fix}`);
  const missing = checks.filter((c) => !c.ok && c.required);
  if (missing.length === 0) return;
  console.error(`${script} cannot run: ${missing.length} missing piece${missing.length > 1 ? "s" : ""}.`);
  for (const c of missing) console.error(`  ✗ ${c.name}: ${c.detail}\n    fix: ${c.fix}`);
  console.error("Run `npm run doctor` to check everything.");
  process.exit(1);
}
