// Built-ins, hoisting, typed arrays and errors behave as on Espruino 2v29 (ESPRUINO.md).
import { describe, it, expect, afterAll } from "vitest";
import { MISSING_GLOBALS, MISSING_STATICS } from "../../host/rules/espruino-rules.js";
import { PRESENT_ON_DEVICE } from "../../host/emulator/device-present.js";
import { bootBoard, resultOf } from "./helpers.js";

describe("built-ins", () => {
  const t = bootBoard();
  afterAll(() => t.board.dispose());

  it("lacks every global the device lacks", () => {
    for (const name of MISSING_GLOBALS.filter((n) => !PRESENT_ON_DEVICE.has(n))) expect(resultOf(t, `typeof ${name}`), name).toBe('="undefined"');
  });

  it("lacks every static member the device lacks", () => {
    for (const path of MISSING_STATICS.filter((n) => !PRESENT_ON_DEVICE.has(n))) expect(resultOf(t, `typeof ${path}`), path).toBe('="undefined"');
  });

  it("has what the rule lists call missing but the device has (globalThis, Math.sign, Object.fromEntries)", () => {
    expect(resultOf(t, "globalThis === global")).toBe("=true");
    expect(resultOf(t, "Math.sign(-3)")).toBe("=-1");
    expect(resultOf(t, "Object.fromEntries([['a', 1]]).a")).toBe("=1");
  });

  it("lacks the missing prototype members", () => {
    expect(resultOf(t, "typeof [].lastIndexOf + typeof [].at + typeof [].flat + typeof [].reduceRight")).toBe('="undefinedundefinedundefinedundefined"');
    expect(resultOf(t, "typeof new Uint8Array(2).BYTES_PER_ELEMENT + typeof Uint8Array.BYTES_PER_ELEMENT")).toBe('="undefinedundefined"');
    expect(resultOf(t, "typeof new Uint8Array(2).copyWithin + typeof new Uint8Array(2).entries")).toBe('="undefinedundefined"');
    expect(resultOf(t, "typeof ArrayBuffer.isView + typeof new ArrayBuffer(4).slice")).toBe('="undefinedundefined"');
  });

  it("offers what the device has", () => {
    expect(resultOf(t, "[1, 2, 3].includes(2) && [1, 2].find(function (x) { return x > 1 }) === 2")).toBe("=true");
    expect(resultOf(t, "Object.assign({}, { a: 1 }).a + Object.keys({ b: 1 }).length + Object.values({ c: 3 })[0]")).toBe("=5");
    expect(resultOf(t, "'7'.padStart(3, '0') + 'ab'.repeat(2)")).toBe('="007abab"');
    expect(resultOf(t, "var d = new DataView(new ArrayBuffer(8)); d.setUint32(0, 0xdeadbeef); d.getUint32(0).toString(16)")).toBe('="deadbeef"');
    expect(resultOf(t, "var s = 0; for (var x of [1, 2, 3]) s += x; s")).toBe("=6");
    expect(resultOf(t, "typeof Promise.resolve(1).then")).toBe('="function"');
    expect(resultOf(t, "(5).constructor === Number && Number('3') === 3 && Number.MAX_VALUE > 0")).toBe("=true");
    expect(resultOf(t, "global.answer = 42; answer === 42 && global === this")).toBe("=true");
  });

  it("gives every object on and emit, as Espruino's Object.prototype does; handlers run after the emitting task", async () => {
    expect(resultOf(t, "var o = {}; typeof o.on + typeof o.emit")).toBe('="functionfunction"');
    expect(resultOf(t, "var got = 0; o.on('x', function (v) { got = v; }); o.emit('x', 7); got")).toBe("=0");
    await new Promise((r) => setImmediate(r));
    expect(resultOf(t, "got")).toBe("=7");
    expect(resultOf(t, "Object.keys(o).length")).toBe("=0");
  });
});

describe("no hoisting", () => {
  const t = bootBoard();
  afterAll(() => t.board.dispose());

  it("fails calling a function before its declaration has run", () => {
    expect(resultOf(t, "early(); function early() { return 1 }")).toMatch(/^Uncaught ReferenceError: early is not defined/);
  });

  it("fails inside a function body too (the down-levelled extends pattern)", () => {
    const code = "var C = (function () { helper(C); function C() {} return C; })(); function helper() {}";
    expect(resultOf(t, code)).toMatch(/^Uncaught ReferenceError/);
  });

  it("runs functions called after their declaration, recursion and methods", () => {
    expect(resultOf(t, "function fact(n) { return n < 2 ? 1 : n * fact(n - 1) }")).toMatch(/^=/);
    expect(resultOf(t, "fact(5)")).toBe("=120");
    expect(resultOf(t, "function outer() { function inner(x) { return x * 2 } return inner(21) }; outer()")).toBe("=42");
    expect(resultOf(t, "var obj = { m: function () { return this.v }, v: 3 }; obj.m()")).toBe("=3");
    expect(resultOf(t, "function Pt(x) { this.x = x } Pt.prototype.get = function () { return this.x }; new Pt(9).get()")).toBe("=9");
    expect(resultOf(t, "(function () { var r = 0; function add() { r++ } add(); add(); return r })()")).toBe("=2");
  });

  it("keeps a var and a function of one name working", () => {
    expect(resultOf(t, "(function () { var k = 1; function k() {} return typeof k })()")).toBe('="function"');
  });
});

describe("typed arrays and errors", () => {
  const t = bootBoard("ESPRUINOWIFI");
  afterAll(() => t.board.dispose());

  it("throws for a view or DataView above byte 65535, allows 65535", () => {
    expect(resultOf(t, "var big = new ArrayBuffer(65600); new Uint8Array(big, 65536, 4)")).toMatch(/^Uncaught Error: byteOffset too large \(or negative\)/);
    expect(resultOf(t, "new DataView(big, 65540)")).toMatch(/^Uncaught Error: byteOffset too large \(or negative\)/);
    expect(resultOf(t, "new Uint8Array(big, 65535, 1).length")).toBe("=1");
    expect(resultOf(t, "new Uint8Array(big).subarray(65536).length")).toMatch(/^Uncaught Error: byteOffset too large/);
    expect(resultOf(t, "var whole = new Uint8Array(big); whole[65599] = 7; whole[65599]")).toBe("=7");
    expect(resultOf(t, "big = whole = undefined")).toBe("=undefined");
  });

  it("throws for a negative index write, ignores writes past the end", () => {
    expect(resultOf(t, "var u = new Uint8Array(4); u[-1] = 1")).toMatch(/^Uncaught Error: .*negative index/);
    expect(resultOf(t, "u[10] = 5; u[10]")).toBe("=undefined");
    expect(resultOf(t, "var plain = {}; plain[-1] = 2; plain[-1]")).toBe("=2");
    expect(resultOf(t, "var str = 'abc'; str[0] = 'z'; str")).toBe('="abc"');
  });

  it("truncates set() with too much data instead of throwing", () => {
    expect(resultOf(t, "var v = new Uint8Array(3); v.set([1, 2, 3, 4, 5], 1); v.join(',')")).toBe('="0,1,2"');
  });

  it("fails class X extends Error; errors have no name", () => {
    expect(resultOf(t, "class MyErr extends Error {}; new MyErr('x')")).toMatch(/^Uncaught Error: Calling 'super' outside of class/);
    expect(resultOf(t, "class Base {}; class Sub extends Base {}; new Sub() instanceof Base")).toBe("=true");
    expect(resultOf(t, "var e = new Error('m'); e.name + ' ' + e.message + ' ' + (e instanceof Error)")).toBe('="undefined m true"');
  });

  it("throws plain Errors from the emulator's own checks", () => {
    expect(resultOf(t, "try { new Uint8Array(new ArrayBuffer(70000), 65536) } catch (e) { e instanceof Error && e.constructor === Error }")).toBe("=true");
  });
});

describe("smaller quirks", () => {
  const t = bootBoard("ESPRUINOWIFI");
  afterAll(() => t.board.dispose());

  it("shares a let loop variable between iterations, as the device does", () => {
    expect(resultOf(t, "var fs = []; for (let i = 0; i < 3; i++) fs.push(function () { return i }); fs[0]()")).toBe("=3");
    expect(resultOf(t, "(function () { let i = 9; for (let i = 0; i < 2; i++) {} return i })()")).toBe("=9");
  });

  it("refuses writes to an array's length, as the device does; other objects' length is theirs", () => {
    expect(resultOf(t, "var a = [1, 2, 3]; a.length = 0")).toMatch(/^Uncaught TypeError: Assignment to a constant/);
    expect(resultOf(t, "var b = [1, 2]; b.length--")).toMatch(/^Uncaught TypeError: Assignment to a constant/);
    expect(resultOf(t, "var c = [1, 2, 3]; c.splice(0, c.length); c.push(4); c.pop(); c.length")).toBe("=0");
    expect(resultOf(t, "var o = { length: 2 }; o.length = 5; o.length")).toBe("=5");
  });

  it("truncates instead of rounding in Uint8ClampedArray", () => {
    expect(resultOf(t, "var c = new Uint8ClampedArray(2); c[0] = 1.7; c[1] = 300; c[0] + ',' + c[1]")).toBe('="1,255"');
  });

  it("names the file line the espruino tool marked (ESC [ n d) in errors", () => {
    expect(t.send("\x10\x1b[42dthrow new Error('here')\n")).toContain("Uncaught Error: here at line 42 col 7");
    expect(t.send("\x10\x1b[7dvar x = 1 +;\n")).toMatch(/Uncaught SyntaxError: .* at line 7/);
  });
});
