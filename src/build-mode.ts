// The build mode, as Zig's builtin.mode. rollup.config.js replaces the identifier __DEBUG__
// with true (debug bundles) or false (release bundles), and the bundler then drops every
// branch guarded by `if (DEBUG)` together with what only that branch uses. Under vitest the
// mode comes from BOOTHEAP_MODE=debug|release (vitest.config.ts defines __DEBUG__); anywhere
// __DEBUG__ is not defined at all (tsx, a plain TypeScript import) the mode is debug, as a Zig
// build without -O is.
declare const __DEBUG__: boolean | undefined;

/** True in debug builds: wrappers from `instrument` are in, and debug-only checks run. */
export const DEBUG: boolean = typeof __DEBUG__ === "undefined" ? true : __DEBUG__ === true;

export const BUILD_MODE: "debug" | "release" = DEBUG ? "debug" : "release";
