/**
 * Registers the `tslab` Jupyter kernel of this checkout, without global installs.
 *
 * Writes `kernels/tslab/kernel.json` into the per-user Jupyter data folder,
 * pointing at this Node binary and this checkout's own `node_modules/tslab` by
 * absolute path. Run by `npm install` (postinstall); running it again rewrites
 * the same file, so it is idempotent.
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { jupyterDataDir, repoRoot } from "./env";

export function kernelSpec(): { argv: string[]; display_name: string; language: string } {
  const tslabBin = resolve(repoRoot, "node_modules", "tslab", "bin", "tslab");
  return {
    argv: [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  };
}

export function kernelSpecPath(): string {
  return join(jupyterDataDir(), "kernels", "tslab", "kernel.json");
}

function main(): void {
  const file = kernelSpecPath();
  const text = JSON.stringify(kernelSpec(), null, 2) + "\n";
  if (existsSync(file) && readFileSync(file, "utf8") === text) {
    console.log(`tslab kernel already registered: ${file}`);
    return;
  }
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
  console.log(`registered the tslab kernel of this checkout: ${file}`);
}

if (require.main === module) main();
