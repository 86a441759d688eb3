"""gather(return_exceptions=True) and the one error that is not an Exception.

Three jobs: one returns, one raises ValueError, one is cancelled from outside.
With return_exceptions=True the result list holds the value, the ValueError
and a CancelledError. Since Python 3.8, CancelledError derives from
BaseException, not Exception, so the usual `isinstance(r, Exception)` test
takes the cancelled job's result for a success.

Run alone:  python3 02_gather_errors.py      (prints one JSON line last)
"""
import asyncio
import json
import platform


async def answer():
    await asyncio.sleep(0.01)
    return 42


async def broken():
    await asyncio.sleep(0.01)
    raise ValueError("bad input")


async def endless():
    await asyncio.sleep(3600)


async def main():
    doomed = asyncio.create_task(endless())
    asyncio.get_running_loop().call_later(0.02, doomed.cancel)
    results = await asyncio.gather(answer(), broken(), doomed, return_exceptions=True)
    return [{
        "result": repr(r),
        "type": type(r).__name__,
        "isException": isinstance(r, Exception),
        "isBaseException": isinstance(r, BaseException),
    } for r in results]


if __name__ == "__main__":
    print(json.dumps({
        "python": platform.python_version(),
        "cancelledErrorBases": [c.__name__ for c in asyncio.CancelledError.__mro__],
        "results": asyncio.run(main()),
    }))
