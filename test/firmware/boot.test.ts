import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { loadAllBoards } from "../../host/boards.js";
import { bootBoard } from "../emulator/helpers.js";

const apps = ["logger", "demo"];

describe("boot on every board in the emulator", () => {
  const boards = loadAllBoards();
  test("every board has at least one firmware built for it", () => {
    for (const board of boards) {
      expect(apps.some((app) => existsSync(`dist/firmware/${board.name}/${app}.js`)), board.name).toBe(true);
    }
  });

  for (const board of boards) {
    for (const app of apps) {
      for (const mode of ["", ".debug"]) {
        const file = `dist/firmware/${board.name}/${app}${mode}.js`;
        if (!existsSync(file)) continue;
        test(`${app}${mode} boots on ${board.name} from flash: one flat heap, carved, sealed, MEM checks clean`, () => {
          const t = bootBoard(board.name);
          // As `bootheap flash` leaves it: the code in Storage as .bootcde, run from flash.
          t.board.loadFromStorage(readFileSync(file, "utf8"));
          expect(t.output()).toMatch(new RegExp(`bootheap: ${app}${mode ? " \\(debug\\)" : ""} on ${board.name}: heap \\d+ bytes in \\d+ regions, sealed, boot \\d+ ms, \\d+ JsVars`));
          expect(t.output()).not.toContain("OUT OF MEMORY");
          const mem = t.board.global.MEM as { check(): boolean; heap: { sealed: boolean; sizeBytes: number } };
          expect(mem.heap.sealed).toBe(true);
          // A debug build adds its tables to the plan; a release heap keeps to the board's budget.
          if (mode === "") expect(mem.heap.sizeBytes).toBeLessThanOrEqual(board.heapBudgetBytes);
          expect(mem.check()).toBe(true);
          expect(t.board.errorFlagList).toEqual([]);
        });
      }
    }
  }
});
