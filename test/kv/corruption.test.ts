// issue 11, defect 4 (kv): a stray write over a hash-chain or page link makes the walk throw code
// Corrupt, never spin. The scenarios run in a child process with a deadline, so a walk that spins
// fails this test instead of hanging the run.
import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";
import type { Outcome } from "./corruption.js";

test("walks over corrupted chains and pages throw Corrupt: the client gets an error and is closed, the checker says Corrupt", () => {
  const child = spawnSync(process.execPath, ["--import", "tsx", "test/kv/corruption-main.ts"], { encoding: "utf8", timeout: 30_000 });
  expect(child.signal, "the scenarios did not finish in 30 s (a walk spins): " + child.stderr).toBeNull();
  expect(child.status, child.stderr).toBe(0);
  const outcomes = child.stdout.trim().split("\n").map((line) => JSON.parse(line) as Outcome);
  expect(outcomes.map((o) => o.scenario)).toEqual([
    "GET of a missing key over a cyclic hash chain",
    "SET of a new key over a cyclic hash chain",
    "DBSIZE (the expiry sweep) over a cyclic hash chain",
    "FLUSHALL over a cyclic hash chain",
    "GET over an entry that links to itself",
    "DEL of a list whose pages form a cycle",
    "SET over a list whose pages form a cycle",
  ]);
  for (const o of outcomes) {
    expect(o, o.scenario).toEqual({
      scenario: o.scenario,
      command: ["Corrupt"],
      reply: "-ERR kv internal error (see the board's console)\r\n",
      closed: true,
      check: "Corrupt",
    });
  }
}, 60_000);
