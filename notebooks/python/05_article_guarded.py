"""The article's first sample, fixed: the same CPU task awaited through run_in_executor on a
ProcessPoolExecutor, with `asyncio.run(main())` behind the __main__ guard (last two lines).
A pool worker that imports this file (spawn, forkserver) finds heavy_sum and runs nothing else.
Works under every start method.
Run alone: python3 05_article_guarded.py [fork|spawn|forkserver]
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


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else multiprocessing.get_start_method()))
