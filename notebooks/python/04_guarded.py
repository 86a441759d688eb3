"""The post's two-process example with its `if __name__ == "__main__":` guard: the fixed version of
04_unguarded.py. A spawned or forkserver child imports this file as `__mp_main__`, so the guarded
block does not run there; the child only finds `task` and runs it. Works under every start method.
The parent checks its children's exit codes and exits with 1 if any failed.
Run alone: python3 04_guarded.py [fork|spawn|forkserver]
"""
import json
import multiprocessing
import platform
import sys


def task(name):
    print(f"{name} started", flush=True)
    sum(i * i for i in range(10 ** 6))  # a CPU loop, smaller than the post's 10**7
    print(f"{name} completed", flush=True)


def main():
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


if __name__ == "__main__":
    main()
