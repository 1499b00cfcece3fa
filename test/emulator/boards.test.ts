// Board profiles: every board of ESPRUINO.md's table, one schema, clear errors.
import { describe, it, expect } from "vitest";
import { loadAllBoards, loadBoard, validateBoard, BoardError } from "../../host/boards.js";

const TABLE = ["PICO_R1_3", "ESPRUINOWIFI", "PUCKJS", "PIXLJS", "MDBT42Q", "BANGLEJS", "BANGLEJS2", "JOLTJS", "MICROBIT2", "ESP32", "ESP8266_4MB", "ESPRUINOBOARD", "LINUX"];

describe("boards", () => {
  it("has a valid profile for every board in the table", () => {
    expect(loadAllBoards().map((b) => b.name).sort()).toEqual([...TABLE].sort());
  });

  it("matches the table's JsVars and block sizes, with a boot heap budget below the JsVar bytes", () => {
    expect(loadBoard("PUCKJS")).toMatchObject({ jsVars: 2630, blockBytes: 13, storageBytes: 40 * 1024 });
    expect(loadBoard("BANGLEJS2")).toMatchObject({ jsVars: 12000, blockBytes: 14 });
    expect(loadBoard("ESP8266_4MB")).toMatchObject({ jsVars: 1600, blockBytes: 12 });
    for (const b of loadAllBoards()) expect(b.heapBudgetBytes).toBeLessThan(b.jsVars * b.blockBytes);
  });

  it("marks the boards with networking", () => {
    const withNet = loadAllBoards().filter((b) => b.features.includes("net")).map((b) => b.name).sort();
    expect(withNet).toEqual(["ESP32", "ESP8266_4MB", "ESPRUINOWIFI", "LINUX"]);
  });

  it("names the file and the field in validation errors", () => {
    const good = { ...loadBoard("PUCKJS") } as Record<string, unknown>;
    expect(() => validateBoard("X.json", { ...good, jsVars: -1 })).toThrow(/X\.json: field "jsVars" must be a positive integer/);
    expect(() => validateBoard("X.json", { ...good, features: ["lasers"] })).toThrow(/X\.json: field "features" has unknown feature "lasers"/);
    expect(() => validateBoard("X.json", { ...good, heapBudgetBytes: 10 ** 9 })).toThrow(/field "heapBudgetBytes"/);
    expect(() => validateBoard("X.json", { ...good, colour: "red" })).toThrow(/field "colour" is not part of the board schema/);
    const { chip: _chip, ...noChip } = good;
    expect(() => validateBoard("X.json", noChip)).toThrow(/field "chip" must be a non-empty string/);
  });

  it("lists the known boards for an unknown name", () => {
    expect(() => loadBoard("NOPE")).toThrow(BoardError);
    expect(() => loadBoard("../etc/passwd")).toThrow(/unknown board.*known boards: .*PUCKJS/);
  });
});
