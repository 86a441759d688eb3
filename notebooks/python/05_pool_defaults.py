"""The pool sizes Python picks when max_workers is not given, read from the pools themselves.

  ProcessPoolExecutor()      -- os.cpu_count() up to 3.12, os.process_cpu_count() from 3.13
                                (at most 61 on Windows);
  ThreadPoolExecutor()       -- min(32, cpu + 4), cpu as above;
  loop.run_in_executor(None) -- the event loop's default executor: a ThreadPoolExecutor with that
                                default size, created on first use (asyncio.to_thread uses it too).
`_max_workers` is a private attribute: read here only to show the default, never set.
Run alone: python3 05_pool_defaults.py
"""
import asyncio
import json
import multiprocessing
import os
import platform
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


async def default_executor_size():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, len, "")  # creates the default executor
    return loop._default_executor._max_workers


def main():
    with ProcessPoolExecutor() as processes, ThreadPoolExecutor() as threads:
        sizes = {"ProcessPoolExecutor()": processes._max_workers,
                 "ThreadPoolExecutor()": threads._max_workers}
    sizes["run_in_executor(None)"] = asyncio.run(default_executor_size())
    process_cpu_count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    print(json.dumps({
        "python": platform.python_version(),
        "startMethod": multiprocessing.get_start_method(),
        "cpuCount": os.cpu_count(),
        "processCpuCount": process_cpu_count() if process_cpu_count else None,
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "defaults": sizes,
    }))


if __name__ == "__main__":
    main()
