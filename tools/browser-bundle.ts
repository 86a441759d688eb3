/**
 * Bundles JupyterLab's rendermime registry, its standard renderers and the vega5 extension
 * (test/browser/jupyterlab-render.js) into one script for the browser test, with esbuild.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./env";

/** The bundle's path; built again when the entry is newer than the bundle. */
export async function jupyterlabRendererBundle(): Promise<string> {
  const entry = join(repoRoot, "test", "browser", "jupyterlab-render.js");
  const out = join(repoRoot, "build", "browser", "jupyterlab-render.js");
  if (existsSync(out) && statSync(out).mtimeMs > statSync(entry).mtimeMs) return out;
  mkdirSync(join(repoRoot, "build", "browser"), { recursive: true });
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "browser",
    format: "iife",
    // JupyterLab's icon modules import their SVGs as strings; its CSS is not needed to render.
    loader: { ".svg": "text", ".css": "empty" },
    define: { "process.env.NODE_ENV": '"production"', global: "window" },
    logLevel: "silent",
  });
  return out;
}
