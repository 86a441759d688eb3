"""The lecture's 2017 asyncio idioms, tried on this Python: what works, what warns, what fails.
aiohttp's ClientSession(loop=...) cannot be tried here (aiohttp is not installed).
Run alone: python3 03_outdated_asyncio.py
"""
import asyncio
import json
import platform
import warnings


def attempt(what, fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn()
            outcome = "works"
        except Exception as err:
            value, outcome = None, f"{type(err).__name__}: {err}"
    notes = [f"{w.category.__name__}: {w.message}" for w in caught]
    return {"idiom": what, "outcome": outcome, "warnings": notes}, value


async def nothing():
    return "done"


if __name__ == "__main__":
    rows = []
    row, loop = attempt("loop = asyncio.get_event_loop()  (no loop running)",
                        asyncio.get_event_loop)
    rows.append(row)
    row, _ = attempt("asyncio.Semaphore(3, loop=loop)", lambda: asyncio.Semaphore(3, loop=loop))
    rows.append(row)
    row, future = attempt("asyncio.ensure_future(coro, loop=loop)  (before the loop runs)",
                          lambda: asyncio.ensure_future(nothing(), loop=loop))
    rows.append(row)
    if future is not None:
        row, _ = attempt("loop.run_until_complete(...)", lambda: loop.run_until_complete(future))
        rows.append(row)
    loop.close()
    row, _ = attempt("asyncio.run(main())  (today's form)", lambda: asyncio.run(nothing()))
    rows.append(row)
    print(json.dumps({"python": platform.python_version(), "rows": rows}))
