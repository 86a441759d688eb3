"""Round-trip notebooks through a plain-text "percent" form for editing and review.

    python3 tools/notebook_text.py to-text  notebooks/01-x.ipynb  > /tmp/01-x.ts
    python3 tools/notebook_text.py to-ipynb /tmp/01-x.ts notebooks/01-x.ipynb

In the text form, a line `// %% [markdown]` starts a markdown cell (its lines
are written as `// ` comments) and a line `// %%` starts a code cell. The
.ipynb files are what the project commits, always without outputs.
Needs only the standard library.
"""
import json
import sys

KERNELSPEC = {"name": "tslab", "display_name": "TypeScript", "language": "typescript"}
LANGUAGE_INFO = {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}


def to_text(path):
    nb = json.load(open(path, encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            body = "\n".join(("// " + line).rstrip() for line in src.split("\n"))
            parts.append("// %% [markdown]\n" + body)
        else:
            parts.append("// %%\n" + src)
    return "\n\n".join(parts) + "\n"


def to_ipynb(text):
    cells, kind, lines = [], None, []

    def flush():
        if kind is None:
            return
        while lines and not lines[-1].strip():
            lines.pop()
        if kind == "markdown":
            body = [l[3:] if l.startswith("// ") else l[2:] if l.startswith("//") else l for l in lines]
            cell = {"cell_type": "markdown", "metadata": {}, "source": "\n".join(body)}
        else:
            cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                    "source": "\n".join(lines)}
        cell["source"] = [l + "\n" for l in cell["source"].split("\n")]
        cell["source"][-1] = cell["source"][-1].rstrip("\n")
        cells.append(cell)

    for line in text.split("\n"):
        if line.strip() == "// %% [markdown]":
            flush(); kind, lines = "markdown", []
        elif line.strip() == "// %%":
            flush(); kind, lines = "code", []
        elif kind is not None:
            lines.append(line)
    flush()
    return {"cells": cells, "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
            "nbformat": 4, "nbformat_minor": 5}


def main(argv):
    if len(argv) < 2 or argv[0] not in ("to-text", "to-ipynb"):
        sys.exit(__doc__)
    if argv[0] == "to-text":
        sys.stdout.write(to_text(argv[1]))
    else:
        nb = to_ipynb(open(argv[1], encoding="utf-8").read())
        for i, cell in enumerate(nb["cells"]):
            cell["id"] = f"cell-{i:03d}"
        out = open(argv[2], "w", encoding="utf-8") if len(argv) > 2 else sys.stdout
        json.dump(nb, out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
