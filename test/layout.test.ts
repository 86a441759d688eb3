/**
 * The lib's layout, as README's library table states it: a folder imports only
 * from folders above it in that order, and no modules import each other,
 * directly or round a cycle (type-only imports included).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** README's order; `cli/` (programs) may use any of them. */
const ORDER = ["measure", "show", "sync", "lifecycle", "executors", "python", "race", "http", "pipelines", "queue", "setup", "cli"];
const src = join(dirname(require.resolve("concurrency-lab/package.json")), "src");

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? modules(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** The lib modules a file imports: import/export … from, require() and import() of relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const base = resolve(dirname(file), spec);
    const found = [`${base}.ts`, join(base, "index.ts"), base].find((p) => existsSync(p) && statSync(p).isFile());
    return found ? [found] : [];
  });
}

const graph = new Map(modules(src).map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(src, file).split(sep).join("/");
const folder = (file: string) => (name(file).includes("/") ? name(file).split("/")[0] : "(index)");

test("every folder of lib/src is in the layout order", () => {
  const folders = new Set([...graph.keys()].map(folder).filter((f) => f !== "(index)"));
  assert.equal([...folders].filter((f) => !ORDER.includes(f)), [], "add the new folder to ORDER and to README's table");
});

test("a folder imports only from folders above it", () => {
  const wrong: string[] = [];
  for (const [file, deps] of graph) {
    const from = ORDER.indexOf(folder(file));
    if (from < 0) continue; // the package index re-exports every folder
    for (const dep of deps) {
      const to = ORDER.indexOf(folder(dep));
      if (to > from) wrong.push(`${name(file)} -> ${name(dep)}`);
    }
  }
  assert.equal(wrong, []);
});

test("no import cycles between modules", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    state.set(file, "open");
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === "open") cycles.push([...path.slice(path.indexOf(dep)), dep].map(name).join(" -> "));
      else if (!state.has(dep)) visit(dep, [...path, dep]);
    }
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
  assert.equal(cycles, []);
});

test.run();
