"""The post's asyncio + ProcessPoolExecutor hybrid as the post writes it: no `__main__` guard.

One change: the start method comes from the command line (fork, spawn or forkserver), so that
the same file can be run under each. Under spawn and forkserver each child imports this file
again, reaches asyncio.run(main()) at the bottom and tries to start a pool of its own.
Run alone: python3 01_hybrid_unguarded.py spawn
(01_hybrid.py is the same idea with the guard.)
"""
import asyncio
import json
import multiprocessing
import platform
import sys
from concurrent.futures import ProcessPoolExecutor

START_METHOD = sys.argv[1] if len(sys.argv) > 1 else multiprocessing.get_start_method()


def cpu_intensive(n):
    return sum(i * i for i in range(n))


async def main():
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context(START_METHOD)
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        results = await asyncio.gather(
            loop.run_in_executor(pool, cpu_intensive, 100_000),
            loop.run_in_executor(pool, cpu_intensive, 100_000),
        )
    print(json.dumps({"python": platform.python_version(), "startMethod": START_METHOD,
                      "results": results}))


asyncio.run(main())  # runs on import too: this is the line the guard would protect
