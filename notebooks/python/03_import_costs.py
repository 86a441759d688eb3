"""What starting Python and importing each client's modules costs, measured with -X importtime.

For each module list it starts a fresh interpreter, `python3 -X importtime -c "import m1, m2"`,
and reads the interpreter's own report on stderr: one line per imported module with its self and
cumulative time in microseconds. A module already imported at start-up (the interpreter imports
some for itself, e.g. encodings) costs nothing here, so the sum over the new top-level imports is
what the client adds. It also times a bare interpreter (`-c pass`) from outside, the floor of every
`time python3 ...` figure. The measurements run in interleaved rounds (bare, then each client once,
`runs` times), so a change in the machine's speed hits all of them alike; each is reported as its
median, min and max, and asyncio against threads as the per-round difference (paired rounds).
Run alone: python3 03_import_costs.py [runs]
"""
import json
import platform
import statistics
import subprocess
import sys
import time

CLIENTS = {
    "sequential (urllib.request)": ["urllib.request"],
    "threads + Queue": ["urllib.request", "threading", "queue"],
    "asyncio streams": ["asyncio", "urllib.parse"],
    "Pool(3) (multiprocessing)": ["urllib.request", "multiprocessing"],
}


def import_ms(modules):
    """Cumulative import time of the top-level imports of `modules`, in ms, by -X importtime."""
    code = "import " + ", ".join(modules)
    command = [sys.executable, "-X", "importtime", "-c", code]
    stderr = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    total_us = 0
    for line in stderr.splitlines():
        # "import time: self [us] | cumulative | imported package"; top-level rows are not indented
        if not line.startswith("import time:") or "|" not in line or "imported package" in line:
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" ") and not name.startswith("  "):  # depth 0: one space after the bar
            total_us += int(cumulative)
    return total_us / 1000


def bare_start_ms():
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (time.perf_counter() - start) * 1000


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    bare, samples = [], {name: [] for name in CLIENTS}
    for _ in range(runs):  # interleaved rounds
        bare.append(bare_start_ms())
        for name, modules in CLIENTS.items():
            samples[name].append(import_ms(modules))
    paired = [a - t for a, t in zip(samples["asyncio streams"], samples["threads + Queue"])]
    print(json.dumps({"python": platform.python_version(), "runs": runs,
                      "bareStartMs": summary(bare),
                      "importMs": {name: summary(values) for name, values in samples.items()},
                      "asyncioMinusThreadsMs": summary(paired), "modules": CLIENTS}))
