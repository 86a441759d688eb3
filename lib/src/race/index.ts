/** The race lab: a shared counter raced by threads, by async tasks and by Python threads. */
export * from "./race";
export * from "./python-race";
