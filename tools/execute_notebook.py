"""Execute one notebook on its kernel with nbclient and export it to HTML.

Usage: execute_notebook.py NOTEBOOK OUT_DIR [--no-html] [--timeout SECONDS]

Writes OUT_DIR/<name>.ipynb (executed) and OUT_DIR/<name>.html, then prints one
JSON line on stdout: {"status": "ok"|"error", "cells": n, "seconds": s,
"cell": index (1-based, of the failing cell), "error": text, "stderr": [...]}.
A failing cell stops the notebook; its outputs so far are still written, so the
lecturer can open the executed copy and see where it stopped.
"""
import base64
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def stderr_outputs(nb):
    """Every error output or stderr stream, as (cell number, text)."""
    found = []
    for i, cell in enumerate(nb.cells, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append((i, f"{out.get('ename')}: {out.get('evalue')}"))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append((i, out.get("text", "")))
    return found


# The handout template. nbconvert's lab template passes SVG outputs through its HTML sanitizer, which (in
# nbconvert 6) strips every SVG element but text: charts would vanish from the
# handouts. This template embeds the SVG as it is when it carries no script, and
# otherwise as an <img> data URI, where a browser runs no script either.
SVG_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{% block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
{{ output.data['image/svg+xml'] | svg_markup }}
</div>
{%- endblock data_svg %}
{# Handouts are read offline: no scripts fetched from the network (widgets, require.js, MathJax). #}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{% block extra_css %}
<style>
  /* long code lines wrap instead of being cut off at the page edge */
  .jp-InputArea-editor pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  .jp-RenderedSVG svg { max-width: 100%; height: auto; }
</style>
{% endblock extra_css %}
"""


def svg_markup(svg):
    if re.search(r"<script|\son\w+\s*=|javascript:", svg, re.IGNORECASE):
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img src="data:image/svg+xml;base64,{data}">'
    return svg


SIBLING_LINK = re.compile(r'href="([^"/:?#]+)\.ipynb(#[^"]*)?"')


def sibling_links(body, notebook_dir):
    """Links to a sibling notebook (Previous/Next, "see 01") point at its handout:
    href="01-x.ipynb#part" becomes href="01-x.html#part" when notebook_dir holds
    01-x.ipynb. Other links (URLs, paths into folders) are left as they are."""
    def to_html(match):
        name, anchor = match.group(1), match.group(2) or ""
        if not os.path.isfile(os.path.join(notebook_dir, name + ".ipynb")):
            return match.group(0)
        return f'href="{name}.html{anchor}"'
    return SIBLING_LINK.sub(to_html, body)


def export_html(nb, notebook_dir):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_loaders=[DictLoader({"handout.html.j2": SVG_TEMPLATE})],
                            template_file="handout.html.j2")
    exporter.register_filter("svg_markup", svg_markup)
    body, _ = exporter.from_notebook_node(nb)
    return sibling_links(body, notebook_dir)


def main(argv):
    path, out_dir = argv[0], argv[1]
    timeout = 600
    if "--timeout" in argv:
        timeout = int(argv[argv.index("--timeout") + 1])
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "tslab")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    result = {"status": "ok", "cells": len(nb.cells)}
    started = time.monotonic()
    running = {"index": None}

    def on_cell_start(cell, cell_index, **_):
        running["index"] = cell_index

    client.on_cell_start = on_cell_start
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        index = running["index"]
        result.update(status="error", cell=None if index is None else index + 1)
        cell_errors = [t for i, t in stderr_outputs(nb) if i == result["cell"]]
        result["error"] = "\n".join(cell_errors).strip() or str(err).strip()[-2000:]
    except Exception as err:  # kernel died, could not start, ...
        result.update(status="error", cell=None, error=f"{type(err).__name__}: {err}")
    result["seconds"] = round(time.monotonic() - started, 1)
    result["stderr"] = [{"cell": i, "text": t[-2000:]} for i, t in stderr_outputs(nb)]

    os.makedirs(out_dir, exist_ok=True)
    executed = os.path.join(out_dir, name + ".ipynb")
    nbformat.write(nb, executed)
    result["ipynb"] = executed
    if "--no-html" not in argv:
        body = export_html(nb, os.path.dirname(os.path.abspath(path)))
        html = os.path.join(out_dir, name + ".html")
        with open(html, "w", encoding="utf-8") as f:
            f.write(body)
        result["html"] = html
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
