// The error a piece of async work rejects with: the tests' `assert.rejects`, which uvu does not have.

/**
 * Awaits `work` (a promise, or a function returning one; a function may also
 * throw at once) and returns the error it rejected with; throws if it resolved.
 */
export async function rejection(work: PromiseLike<unknown> | (() => PromiseLike<unknown>)): Promise<Error> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
