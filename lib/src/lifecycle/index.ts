/** Lifecycle: re-run safety (`track`, `closeTracked`) and children that exit with their parent (`startCli`, `exitWithParent`). */
export * from "./track";
