"""Kill check: nothing the kit starts outlives a killed kernel, and re-runs leave only their own.

Usage: python3 tools/kill_check.py [--rounds sigkill,sigterm,rerun]

Starts the real tslab kernel with jupyter_client and runs, as notebook cells:
notebook 03's command-line demo three ways (the lib's startCli; a bare spawn
with stdin a pipe; a bare spawn with stdin ignored, as notebook 03 did), and
notebook 05's pools (a ProcessPoolExecutor and a ThreadPoolExecutor, each busy
in a 60 s task) plus a slow server with a request in flight, and notebook 06's
queue (a private Redis and two BullMQ worker processes, one busy) when
redis-server is installed. Then:

- sigkill / sigterm: kills the kernel process alone (not its process group)
  with that signal, waits 2 s, and lists every process of the kit still alive:
  the kernel's descendants recorded before the kill, and any process left in
  the kernel's session.
- rerun: runs the same cells twice in one kernel (a partial run, then Run All)
  and counts the kernel's child processes after each run and after
  `closeTracked()`: the second run must leave only its own, and closeTracked none.
  Before closeTracked it interrupts the kernel as Jupyter does (SIGINT to its
  process group) while the process pool is busy: the running tasks must fail
  with TaskAbortedError naming SIGINT and the pool must serve on with two children.

Prints a table per round and, last, one JSON line: {"ok": bool, "rounds": [...]}.
Exit code 0 when every round passed, 1 when one failed, 2 when Jupyter or the
tslab kernel is missing (the JSON line then says why).
"""
import json
import os
import signal
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAST_KERNEL = None  # the last round's KernelManager: its output is shown when the round fails

# The cells: what notebooks 03 and 05 start, every resource tracked so that a re-run closes the previous one.
CELLS = [
    # 1: imports
    """import * as L from "concurrency-lab";
import { spawn } from "node:child_process";
const cliPath = require.resolve("concurrency-lab/dist/cli/slow-server.js");
const printed = (child: any, text: string) => new Promise<void>((ok) => {
  let out = "";
  child.stdout.on("data", (d: Buffer) => { out += d; if (out.includes(text)) ok(); });
});""",
    # 2: notebook 03's CLI demo three ways: the lib's startCli; a bare spawn with stdin a pipe;
    # a bare spawn with stdin ignored (no pipe, no IPC), as notebook 03 did
    """const [cli, piped, ignored] = await Promise.all([
  L.track("cli demo", () => L.startCli("slow-server", ["--port", "0", "--delay", "1000"])),
  L.track("piped cli", spawn(process.execPath, [cliPath, "--port", "0"], { stdio: ["pipe", "pipe", "pipe"] })),
  L.track("ignored cli", spawn(process.execPath, [cliPath, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] })),
]);
await Promise.all([cli.waitForOutput(/http:/), printed(piped, "http://"), printed(ignored, "http://")]);
console.log("CLIs", cli.pid, piped.pid, ignored.pid);""",
    # 3: notebook 05's pools, each busy in a 60 s task, and the slow server with a request in flight
    """const procs = await L.track("process pool", new L.ProcessPoolExecutor({ maxWorkers: 2 }));
const threads = await L.track("thread pool", new L.ThreadPoolExecutor({ maxWorkers: 2 }));
const busy = [procs.submit(L.tasks.blockingSleep, 60_000), procs.submit(L.tasks.blockingSleep, 60_000),
  threads.submit(L.tasks.blockingSleep, 60_000)];
const server = await L.track("slow server", () => L.startSlowServer({ delayMs: 5000 }));
fetch(server.url).catch(() => undefined);
while (!busy.every((f) => f.running)) await L.sleep(20);
await L.sleep(100);
console.log("pools", procs.lanes.join(" "), threads.lanes.join(" "), "server", server.pid);""",
    # 4: notebook 06's queue: a private Redis and two BullMQ worker processes, one busy in a 60 s task
    """if (L.redisAvailable().ok) {
  const redis = await L.track("redis", () => L.startRedis({ url: null }));
  const queue = await L.track("queue", new L.QueueExecutor({ redis: redis, maxWorkers: 2 }));
  await queue.ready();
  queue.submit(L.tasks.blockingSleep, 60_000);
  await L.sleep(300);
  console.log("queue", redis.pid, queue.workerPids.join(" "));
} else console.log("queue skipped: no redis-server (notebook 06 is skipped too)");""",
]
CLOSE_CELL = """console.log("closed", JSON.stringify(await L.closeTracked()));"""


def processes():
    """pid -> (ppid, session id, start time, state, cmdline) for every live process."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid, sid, start = fields[0], int(fields[1]), int(fields[3]), int(fields[19])
        if state in ("Z", "X"):
            continue  # exited, not yet reaped: not alive
        table[int(name)] = (ppid, sid, start, state, cmd)
    return table


def descendants(root, table):
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, row in table.items() if row[0] in frontier]
        found += children
        frontier = children
    return found


def short(cmd):
    return cmd.replace(REPO + "/", "").replace("/usr/bin/node ", "node ")[:90]


def start_kernel():
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="tslab")
    # The kernel's own output goes to a log, printed only when a round fails (tslab writes start-up noise).
    km.kill_check_log = tempfile.TemporaryFile(mode="w+")
    km.start_kernel(cwd=os.path.join(REPO, "notebooks"), stdout=km.kill_check_log, stderr=km.kill_check_log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    global LAST_KERNEL
    LAST_KERNEL = km
    return km, kc, km.provisioner.process.pid


def run(kc, code, timeout=60):
    out, errors = [], []

    def hook(msg):
        content = msg["content"]
        if msg["msg_type"] == "stream":
            (errors if content["name"] == "stderr" else out).append(content["text"])
        elif msg["msg_type"] == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    text = "".join(out).strip()
    if reply["content"]["status"] != "ok" or errors:
        text = "".join(errors + out).strip()
        raise RuntimeError(f"cell failed: {text or reply['content']}\n--- cell ---\n{code}")
    return text


def kill_round(sig):
    km, kc, kernel = start_kernel()
    try:
        for cell in CELLS:
            run(kc, cell)
        table = processes()
        sid = table[kernel][1]
        before = {pid: table[pid] for pid in descendants(kernel, table)}
        os.kill(kernel, sig)  # the kernel alone, as the OOM killer or `kill` would: not its group
        time.sleep(2)
        now = processes()
        alive = {
            pid: row
            for pid, row in now.items()
            if (pid in before and before[pid][2] == row[2]) or (row[1] == sid and pid != kernel)
        }
    finally:
        kc.stop_channels()
        cleanup(km)
    name = signal.Signals(sig).name
    print(f"\n{name}: kernel pid {kernel}; {len(before)} processes of the kit before, {len(alive)} alive 2 s after")
    for pid, row in before.items():
        print(f"  {'ALIVE' if pid in alive else 'gone '}  {pid:>7}  {short(row[4])}")
    for pid, row in alive.items():
        if pid not in before:
            print(f"  ALIVE  {pid:>7}  {short(row[4])}  (in the kernel's session, not seen before)")
    ok = len(alive) == 0 and len(before) >= 9
    return {
        "round": name.lower(),
        "ok": ok,
        "before": [{"pid": p, "cmd": short(r[4])} for p, r in before.items()],
        "alive": [{"pid": p, "cmd": short(r[4])} for p, r in alive.items()],
    }


def rerun_round():
    km, kc, kernel = start_kernel()
    counts = {}
    try:
        runs = []
        for label in ("partial run", "run all"):
            for cell in CELLS:
                run(kc, cell)
            table = processes()
            runs.append({pid: table[pid] for pid in descendants(kernel, table)})
            counts[label] = len(runs[-1])
        first, second = runs
        table = processes()
        first_alive = [pid for pid in first if pid in table and table[pid][2] == first[pid][2]]
        interrupt = interrupt_check(km, kc)
        run(kc, CLOSE_CELL)
        time.sleep(0.2)
        table = processes()
        left = descendants(kernel, table)
        counts["after closeTracked"] = len(left)
    finally:
        kc.stop_channels()
        cleanup(km)
    print(f"\nrerun: kernel pid {kernel}; child processes per run: {counts}")
    print(f"  first run's processes still alive after the second run: {len(first_alive)}")
    print(f"  interrupt (Jupyter's, SIGINT to the kernel's group): {interrupt}")
    for pid in left:
        print(f"  LEFT   {pid:>7}  {short(table[pid][4])}")
    ok = counts["partial run"] >= 9 and counts["run all"] == counts["partial run"] and not first_alive and not left
    ok = ok and interrupt["ok"]
    return {"round": "rerun", "ok": ok, "counts": counts, "first_run_alive_after_second": len(first_alive), "interrupt": interrupt}


def interrupt_check(km, kc):
    """Interrupts a waiting cell while the process pool's two children are busy: both tasks must fail
    with TaskAbortedError naming SIGINT, the pool must still have two children and serve."""
    msg_id = kc.execute("await L.sleep(30_000);")
    time.sleep(1)
    km.interrupt_kernel()  # jupyter_client signals the kernel's process group, as JupyterLab does
    while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
        pass
    time.sleep(0.5)
    text = run(kc, """const outcomes = await Promise.all(busy.slice(0, 2).map((f) =>
  f.then(() => "finished", (e: any) => e.name + ": " + e.message)));
console.log(JSON.stringify({ outcomes, lanes: procs.lanes.length, echo: await procs.mapAll(L.tasks.echo, [1, 2]) }));""")
    seen = json.loads(text.splitlines()[-1])
    ok = (
        all(o.startswith("TaskAbortedError") and "SIGINT" in o for o in seen["outcomes"])
        and seen["lanes"] == 2
        and seen["echo"] == [1, 2]
    )
    return {"ok": ok, **seen}


def cleanup(km):
    """Stops what is left (the kernel's group included), after the round measured it."""
    try:
        km.shutdown_kernel(now=True)
    except Exception:
        pass
    try:
        km.cleanup_resources()
    except Exception:
        pass
    km.kill_check_log.seek(0)
    km.kill_check_output = km.kill_check_log.read()
    km.kill_check_log.close()


def main():
    rounds = ["sigkill", "sigterm", "rerun"]
    if len(sys.argv) > 2 and sys.argv[1] == "--rounds":
        rounds = sys.argv[2].split(",")
    try:
        import jupyter_client  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager

        KernelSpecManager().get_kernel_spec("tslab")
    except Exception as e:  # no Jupyter, or the kernel is not registered
        print(json.dumps({"ok": False, "skipped": f"{type(e).__name__}: {e}"}))
        return 2
    started = time.time()
    results = []
    for r in rounds:
        try:
            if r == "rerun":
                results.append(rerun_round())
            else:
                results.append(kill_round({"sigkill": signal.SIGKILL, "sigterm": signal.SIGTERM}[r]))
        except Exception as e:
            print(f"\n{r}: {type(e).__name__}: {e}")
            results.append({"round": r, "ok": False, "error": f"{type(e).__name__}: {e}"})
        if not results[-1]["ok"] and LAST_KERNEL is not None:
            log = getattr(LAST_KERNEL, "kill_check_output", "").strip()
            print("--- the kernel's output (last 40 lines) ---\n" + "\n".join(log.splitlines()[-40:]))
    ok = all(r["ok"] for r in results)
    print(f"\nkill check {'passed' if ok else 'FAILED'} in {time.time() - started:.0f} s")
    print(json.dumps({"ok": ok, "rounds": results}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
