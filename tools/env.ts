/** Facts about the environment that the tools share: where things are. */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** The checkout's top folder (tools compile to build/tools). */
export const repoRoot = resolve(__dirname, "..", "..");

/** Jupyter's per-user data folder, as `jupyter --data-dir` computes it. */
export function jupyterDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(process.env.APPDATA ?? homedir(), "jupyter");
  return join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/**
 * The Python that has nbclient and nbconvert. `python3` first on PATH may be
 * another install (pyenv, a venv) than the one Jupyter came with, so the
 * candidates are tried in order: the interpreter of the `jupyter` script,
 * python3, /usr/bin/python3. Setting $PYTHON tries that one only.
 */
export function findNotebookPython(): string | null {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : [...jupyterPython(), "python3", "/usr/bin/python3", "python"];
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import nbclient, nbconvert"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return null;
}

/** The interpreter named in the `jupyter` script's shebang line, if there is one. */
function jupyterPython(): string[] {
  const which = spawnSync(process.platform === "win32" ? "where" : "which", ["jupyter"], { encoding: "utf8" });
  const script = which.status === 0 ? which.stdout.split(/\r?\n/)[0] : undefined;
  if (!script || !existsSync(script)) return [];
  const firstLine = readFileSync(script, "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\s*(\S+)/.exec(firstLine);
  return m && !m[1]!.endsWith("/env") ? [m[1]!] : [];
}
