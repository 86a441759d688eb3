// Browser side of the browser test (bundled by esbuild, run in Chromium): renders one notebook output
// exactly as JupyterLab 4 does, with its own rendermime registry, its standard renderers and the
// vega5 extension at the rank JupyterLab gives it, and reports what it picked and what it drew.
import { MimeModel, RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
import vega5 from "@jupyterlab/vega5-extension";

const registry = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
registry.addFactory(vega5.rendererFactory, vega5.rank);

/** Counts the drawn items of a vega scenegraph, leaving out the groups that only hold others. */
function countMarks(node) {
  let n = 0;
  for (const item of node.items ?? []) {
    if (node.marktype !== "group") n += 1;
    for (const child of item.items ?? []) n += countMarks(child);
  }
  return n;
}

window.renderOutput = async ({ data, metadata, trusted }) => {
  const mime = registry.preferredMimeType(data, trusted ? "any" : "ensure");
  if (!mime) return { mime: null };
  const renderer = registry.createRenderer(mime);
  document.body.appendChild(renderer.node);
  await renderer.renderModel(new MimeModel({ data, metadata: metadata ?? {}, trusted }));
  const view = renderer._result?.view; // vega-embed's result, kept by the vega5 renderer
  const report = {
    mime,
    marks: view ? countMarks(view.scenegraph().root) : 0,
    canvases: renderer.node.querySelectorAll("canvas, svg").length,
    tableRows: renderer.node.querySelectorAll("table tr").length,
    text: renderer.node.textContent.slice(0, 200),
  };
  renderer.dispose();
  renderer.node.remove();
  return report;
};
