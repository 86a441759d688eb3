/**
 * serializeError / reviveError: an error thrown in a worker as plain data and
 * back, keeping what structured clone drops (class, name, own properties, cause).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { reviveError, serializeError } from "concurrency-lab/dist/executors/remote-error";

/** What a worker's error looks like in the notebook: serialized, copied as a message would be, revived. */
const roundTrip = (error: unknown): Error => reviveError(structuredClone(serializeError(error)));

test("a built-in error comes back as its own class with message, stack and own properties", () => {
  const original = Object.assign(new RangeError("too big"), { code: "E_BIG", limit: 10 });
  const back = roundTrip(original);
  assert.instance(back, RangeError);
  assert.is(back.message, "too big");
  assert.is(back.stack, original.stack);
  assert.is((back as unknown as { code: string }).code, "E_BIG");
  assert.is((back as unknown as { limit: number }).limit, 10);
});

test("a custom class comes back as an Error subclass with the same class name, and its cause too", () => {
  class QuotaError extends Error {}
  const back = roundTrip(new QuotaError("over quota", { cause: new TypeError("bad size") }));
  assert.instance(back, Error);
  assert.is(back.constructor.name, "QuotaError");
  assert.is(back.name, "QuotaError");
  assert.instance(back.cause, TypeError);
  assert.is((back.cause as Error).message, "bad size");
  assert.is(roundTrip(new QuotaError("again")).constructor, back.constructor, "one class per name");
});

test("a thrown non-Error and an uncloneable property still travel", () => {
  const thrown = roundTrip("just a string");
  assert.match(thrown.message, /non-Error value: just a string/);
  const withFn = roundTrip(Object.assign(new Error("x"), { retry: () => 1 }));
  assert.type((withFn as unknown as { retry: unknown }).retry, "string");
});

test.run();
