"""DELIBERATELY BROKEN: the shape of the article's first sample (a CPU task awaited through
run_in_executor on a ProcessPoolExecutor, started by a top-level `asyncio.run(main())`), with no
`if __name__ == "__main__":` guard. Do not copy it; 05_article_guarded.py is the fixed version.

Under fork (the Linux default up to Python 3.13) it works. Under spawn (Windows, macOS) and
forkserver (Linux from 3.14) each pool worker imports this file again, runs the top-level
`asyncio.run(main())`, and tries to start a pool of its own while it is still starting: CPython
raises RuntimeError in the worker, the worker dies, and the parent's await fails with
BrokenProcessPool. The program then exits with code 1 and prints no JSON.
Run alone: python3 05_article_unguarded.py [fork|spawn|forkserver]
"""
import asyncio
import json
import multiprocessing
import platform
import sys
from concurrent.futures import ProcessPoolExecutor


def heavy_sum(offset):
    return sum(i * i for i in range(10 ** 6)) % 1_000_000_007 + offset


async def main(method):
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(mp_context=multiprocessing.get_context(method)) as pool:
        value = await loop.run_in_executor(pool, heavy_sum, 42)
    print(json.dumps({"python": platform.python_version(), "startMethod": method, "value": value}))


# top-level code: runs in the parent AND, under spawn or forkserver, again in every pool worker
asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else multiprocessing.get_start_method()))
