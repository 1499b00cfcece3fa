// System tools the tests drive for real (duk, redis-cli, ...). When one is missing, a test names
// it and its install command; under CI (CI=true, where .ci/run installs them) that is a failure.
import { execFileSync } from "node:child_process";
import { test } from "vitest";

export function findTool(command: string): string | null {
  try {
    return execFileSync("sh", ["-c", "command -v " + command], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

/** Registers `body` as a test needing `command`; without it: skipped locally with the install hint, failed under CI. */
export function testWithTool(name: string, command: string, install: string, body: (path: string) => void | Promise<void>, timeoutMs?: number): void {
  const path = findTool(command);
  const why = "needs `" + command + "`: install it with `" + install + "`";
  if (path !== null) {
    test(name, () => body(path), timeoutMs);
  } else if (process.env.CI === "true") {
    test(name, () => {
      throw new Error(why);
    });
  } else {
    test.skip(name + " (" + why + ")", () => {});
  }
}
