// print and console.log show values as the device does (jsfGetJSONWithCallback with its pretty,
// some-newlines and object-name flags); the expected texts are what 2v29 printed.
import { describe, it, expect, afterAll } from "vitest";
import { bootBoard } from "./helpers.js";

describe("print", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());
  const printed = (expr: string): string => {
    const reply = t.type(`print(${expr})`);
    return reply.slice(reply.indexOf("\r\n") + 2, reply.lastIndexOf("\r\n=undefined"));
  };

  it("quotes keys, breaks lines before values that are not numbers, and after four items", () => {
    expect(printed("{}")).toBe("{  }");
    expect(printed("[]")).toBe("[  ]");
    expect(printed("[1, 2, 3, true, null, undefined]")).toBe("[ 1, 2, 3, true, null, undefined ]");
    expect(printed("{a:1,b:2,c:3,d:4,e:5,f:6}")).toBe('{ "a": 1, "b": 2, "c": 3, "d": 4, \r\n  "e": 5, "f": 6 }');
    expect(printed("{ 'a-b': 1, g: { h: [1] } }")).toBe('{ "a-b": 1, \r\n  "g": { \r\n    "h": [ 1 ]\r\n   }\r\n }');
  });

  it("escapes strings inside values as the device does", () => {
    expect(printed('["\\x01\\xff\\n", "\\u20ac"]')).toBe('[ \r\n  "\\1\\xFF\\n", \r\n  "\\u20AC"\r\n ]');
  });

  it("names objects made by a global constructor, and shows its toString when it has one", () => {
    t.type("function Foo() { this.x = 1 }");
    expect(printed("new Foo()")).toBe('Foo: { "x": 1 }');
    expect(printed("new Date(0)")).toBe("Date: Thu Jan 1 1970 00:00:00 GMT+0000");
    expect(printed("new Error('m')")).toBe("Error: Error: m");
  });

  it("shows typed arrays and buffers as constructors", () => {
    expect(printed("new Uint8Array(3), new Uint8Array([1, 2]), new Uint8Array([1]).buffer")).toBe("new Uint8Array(3) new Uint8Array([1, 2]) new Uint8Array([1]).buffer");
  });
});
