/**
 * Links between notebooks: in the HTML (and so PDF) handouts, Previous/Next
 * and "see 01" links open the sibling handout, not the raw .ipynb.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../tools/env";
import { checkJupyter } from "../../tools/prereqs";

/** Runs `code` in Python with tools/execute_notebook.py importable; returns its stdout. */
function python(code: string, dir: string): string {
  const jupyter = checkJupyter();
  assert.ok(jupyter.ok, jupyter.detail);
  const r = spawnSync(jupyter.python!, ["-c", code, dir], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: join(repoRoot, "tools"), PYTHONDONTWRITEBYTECODE: "1" },
  });
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

test("sibling_links points links to sibling notebooks at their .html, keeps anchors and other links", () => {
  const dir = mkdtempSync(join(tmpdir(), "cl-links-"));
  try {
    for (const name of ["01-a.ipynb", "03-c.ipynb"]) writeFileSync(join(dir, name), "{}");
    const body = [
      '<a href="01-a.ipynb">Previous</a>',
      '<a href="03-c.ipynb#Part-2">Next</a>',
      '<a href="99-missing.ipynb">gone</a>',
      '<a href="https://example.org/x.ipynb">web</a>',
      '<a href="sub/01-a.ipynb">folder</a>',
    ].join("\n");
    const out = python(`import sys, execute_notebook as e; print(e.sibling_links(${JSON.stringify(body)}, sys.argv[1]))`, dir);
    assert.is(
      out.trim(),
      [
        '<a href="01-a.html">Previous</a>',
        '<a href="03-c.html#Part-2">Next</a>',
        '<a href="99-missing.ipynb">gone</a>',
        '<a href="https://example.org/x.ipynb">web</a>',
        '<a href="sub/01-a.ipynb">folder</a>',
      ].join("\n"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the exported handout's Previous/Next links open the sibling .html", () => {
  const dir = mkdtempSync(join(tmpdir(), "cl-links-"));
  try {
    for (const name of ["01-a.ipynb", "03-c.ipynb"]) writeFileSync(join(dir, name), "{}");
    const code = [
      "import sys, nbformat, execute_notebook as e",
      "nb = nbformat.v4.new_notebook()",
      'nb.cells.append(nbformat.v4.new_markdown_cell("Previous: [01](01-a.ipynb) · Next: [03](03-c.ipynb)"))',
      "print(e.export_html(nb, sys.argv[1]))",
    ].join("\n");
    const html = python(code, dir);
    assert.match(html, /href="01-a\.html"/);
    assert.match(html, /href="03-c\.html"/);
    assert.not.match(html, /href="[^"]*\.ipynb"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
