// Syntax 2v29 accepts that the emulator used to reject, and the device's statement-by-statement
// running: code before a statement it cannot parse has run when the SyntaxError is reported.
import { describe, it, expect, afterAll } from "vitest";
import { bootBoard, resultOf } from "./helpers.js";

describe("syntax the device accepts", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("class fields, static fields", () => {
    expect(resultOf(t, "class P { x = 1; static s = 3 }; [new P().x, P.s]")).toBe("=[ 1, 3 ]");
  });

  it("catch without a binding, and it still cannot catch an interrupt", () => {
    expect(resultOf(t, "var r; try { throw 1 } catch { r = 'caught' }; r")).toBe('="caught"');
    expect(resultOf(t, "function g() { try { null.x } catch { return 2 } }; g")).toBe("=function () { try { null.x } catch { return 2 } }");
    Atomics.store(t.board.flags, 0, 1);
    expect(t.type("try { while (1) {} } catch { print('swallowed') }")).toContain("Execution Interrupted\r\n");
  });

  it("numeric separators", () => {
    expect(resultOf(t, "[1_0, 0x0_1]")).toBe("=[ 10, 1 ]");
  });

  it("runs the statements before one it cannot parse, then reports the SyntaxError", () => {
    t.board.loadFromStorage("ran = 1;\nprint('before');\nfor (i in results]\n", "broken.js");
    expect(t.output()).toMatch(/before\r\nUncaught SyntaxError: [^\r]* at line 3 col \d+\r\n/);
    expect(resultOf(t, "ran")).toBe("=1");
  });
});

describe("a let loop variable", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("is one variable for all iterations and does not exist after the loop", () => {
    expect(resultOf(t, "var i = 'outer', fs = []; for (let i = 0; i < 3; i++) fs.push(function () { return i; }); [i, fs[0](), fs[2]()]")).toBe('=[ "outer", 3, 3 ]');
    expect(resultOf(t, "(function () { for (let k in { a: 1, b: 2 }) {} return typeof k; })()")).toBe('="undefined"');
    expect(resultOf(t, "function loop() { for (let j = 0; j < 2; j++) { } }; loop")).toBe("=function () { for (let j = 0; j < 2; j++) { } }");
  });
});

describe("delete", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("returns false for a missing or inherited property, true for an own one", () => {
    expect(resultOf(t, "var o = { a: 1 }; [delete o.zz, delete o.toString, delete o['a'], 'a' in o, delete Math.PI]")).toBe("=[ false, false, true, false, false ]");
  });

  it("a function that deletes prints with its own source", () => {
    expect(resultOf(t, "function drop(o, k) { return delete o[k] && delete o.x; }; drop")).toBe("=function (o, k) { return delete o[k] && delete o.x; }");
  });
});

describe("a function declared again at top level", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("keeps its identity and runs the new code, so what holds it sees the change", () => {
    t.type("function a() { return 0 }; var held = a; a.prototype.kept = 7");
    t.type("function a() { return 1 }");
    expect(resultOf(t, "[held === a, held(), new a().kept]")).toBe("=[ true, 1, 7 ]");
    expect(resultOf(t, "a")).toBe("=function () { return 1 }");
    expect(resultOf(t, "a.toString()")).toBe('="function a() { return 1 }"');
  });

  it("a timer set with the old declaration calls the new one", async () => {
    t.board.loadFromStorage("var r = 0; function tick() { r = 'old' } setTimeout(tick, 5); function tick() { r = 'new' }", "redeclare.js");
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(resultOf(t, "r")).toBe('="new"');
  });
});

describe("Function.prototype.replaceWith", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("swaps the code of a top-level function in place; others say they cannot", () => {
    t.type("function job() { return 'a' }; var ref = job");
    expect(resultOf(t, "job.replaceWith(function () { return 'b' }), [ref(), ref === job]")).toBe('=[ "b", true ]');
    expect(resultOf(t, "(function () {}).replaceWith(function () {})")).toMatch(/^Uncaught Error: replaceWith: the emulator can only replace functions declared at top level/);
  });
});
