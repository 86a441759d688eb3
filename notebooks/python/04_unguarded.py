"""DELIBERATELY BROKEN: the post's two-process example with its `if __name__ == "__main__":` guard
removed, to show what the guard is for. Do not copy this file; 04_guarded.py is the fixed one.

Under the fork start method (the Linux default up to Python 3.13) the children are copies of this
process and it works. Under spawn (Windows, macOS) and forkserver (the Linux default from Python
3.14), each child imports this file again to find `task`, reaches the top-level code below and tries
to start processes of its own while it is still starting: CPython stops it with a RuntimeError, the
child exits with code 1, and `task` never runs. The parent reports the children's exit codes and
exits with 1 if any child failed, so a caller that checks exit codes sees the failure.
Run alone: python3 04_unguarded.py [fork|spawn|forkserver]
"""
import json
import multiprocessing
import platform
import sys


def task(name):
    print(f"{name} started", flush=True)
    sum(i * i for i in range(10 ** 6))  # a CPU loop, smaller than the post's 10**7
    print(f"{name} completed", flush=True)


# --- top-level code: runs on import, in the parent AND again in every spawned child ---
method = sys.argv[1] if len(sys.argv) > 1 else multiprocessing.get_start_method()
ctx = multiprocessing.get_context(method)
workers = [ctx.Process(target=task, args=(name,)) for name in ("Process-A", "Process-B")]
for p in workers:
    p.start()
for p in workers:
    p.join()
codes = [p.exitcode for p in workers]
print(json.dumps({"python": platform.python_version(), "startMethod": method,
                  "childExitCodes": codes}))
sys.exit(0 if all(code == 0 for code in codes) else 1)
