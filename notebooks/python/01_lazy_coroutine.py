"""Calling a coroutine function runs nothing: the body starts only when the coroutine is awaited
or scheduled. The order of events is printed as JSON.
Run alone: python3 01_lazy_coroutine.py
"""
import asyncio
import json
import platform

order = []


async def greet(name):
    order.append(f"{name}: body starts")
    await asyncio.sleep(0.01)
    order.append(f"{name}: body ends")


async def main():
    coroutine = greet("Python")
    order.append("caller: right after the call")
    await coroutine


if __name__ == "__main__":
    asyncio.run(main())
    print(json.dumps({"python": platform.python_version(), "order": order}))
