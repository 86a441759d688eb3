/**
 * startEchoPeer: a bare thread or process that answers each message. Checks
 * the answers, transfer vs copy, and that close() leaves nothing running.
 * No wall-clock bound.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startEchoPeer, promiseHops, timedBufferTrip } from "concurrency-lab";
import { rejection } from "../rejection";

for (const kind of ["thread", "process"] as const) {
  test(`a ${kind} peer echoes values and answers binary data with its size`, async () => {
    const peer = await startEchoPeer(kind);
    try {
      assert.is(peer.kind, kind);
      assert.ok(peer.startMs > 0);
      assert.match(peer.lane, kind === "thread" ? /^thread \d+$/ : /^pid \d+$/);
      assert.is(peer.pid === undefined, kind === "thread");
      assert.equal(await peer.roundTrip({ a: [1, 2] }), { a: [1, 2] });
      assert.equal(await peer.roundTrip(new Uint8Array(10)), { byteLength: 10 });
      assert.ok((await peer.roundTrips(20)) > 0);
    } finally {
      await peer.close();
    }
    await peer.close(); // a second close does nothing
  });
}

test("a transferred buffer is detached on this side; a copied one is not", async () => {
  const peer = await startEchoPeer("thread");
  try {
    const copied = new ArrayBuffer(1024);
    assert.equal(await peer.roundTrip(copied), { byteLength: 1024 });
    assert.is(copied.byteLength, 1024);
    const moved = new ArrayBuffer(1024);
    assert.equal(await peer.roundTrip(moved, [moved]), { byteLength: 1024 });
    assert.is(moved.byteLength, 0);
  } finally {
    await peer.close();
  }
});

test("a process peer refuses a transfer list: IPC always copies", async () => {
  const peer = await startEchoPeer("process");
  try {
    const buf = new ArrayBuffer(8);
    assert.match(String(await rejection(() => peer.roundTrip(buf, [buf]))), /IPC always copies/);
  } finally {
    await peer.close();
  }
});

test("a process peer is gone after close()", async () => {
  const peer = await startEchoPeer("process");
  await peer.close();
  assert.throws(() => process.kill(peer.pid!, 0), /ESRCH/);
});

test("bad arguments are refused", async () => {
  assert.instance(await rejection(() => startEchoPeer("fiber" as never)), RangeError);
  const peer = await startEchoPeer("thread");
  try {
    assert.instance(await rejection(() => peer.roundTrips(0)), RangeError);
  } finally {
    await peer.close();
  }
});

test("promiseHops and timedBufferTrip measure, and check their arguments", async () => {
  assert.ok((await promiseHops(100)) > 0);
  assert.instance(await rejection(() => promiseHops(0)), RangeError);
  const peer = await startEchoPeer("thread");
  try {
    for (const how of ["copy", "transfer"] as const) assert.ok((await timedBufferTrip(peer, 1, how)).wallMs >= 0);
    assert.instance(await rejection(() => timedBufferTrip(peer, 0, "copy")), RangeError);
    assert.instance(await rejection(() => timedBufferTrip(peer, 1, "move" as never)), RangeError);
  } finally {
    await peer.close();
  }
});

test.run();
