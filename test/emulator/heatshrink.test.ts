// require("heatshrink") as built into the device: the same bytes as the interpreter (2v29) made
// for the same input, and compress/decompress round trips.
import { describe, it, expect, afterAll } from "vitest";
import { bootBoard, resultOf } from "./helpers.js";

describe("heatshrink", () => {
  const t = bootBoard("PUCKJS");
  afterAll(() => t.board.dispose());

  it("compresses to the device's bytes", () => {
    expect(resultOf(t, "JSON.stringify([].slice.call(new Uint8Array(require('heatshrink').compress('HelloHelloHelloHelloWorld'))))")).toBe(
      '="[164,89,109,150,203,120,16,234,189,190,229,108,178,0]"',
    );
  });

  it("round trips, and a repetitive text shrinks as much as on the device", () => {
    t.type("var hs = require('heatshrink'), big = ''; for (var i = 0; i < 600; i++) big += String.fromCharCode(65 + (i * 7) % 13)");
    expect(resultOf(t, "var c = hs.compress(big); [c.byteLength, E.toString(hs.decompress(c)) === big]")).toBe("=[ 34, true ]");
    expect(resultOf(t, "[].slice.call(new Uint8Array(hs.decompress(hs.compress([1, 2, 255, 0, 1, 2, 255, 0]))))")).toBe("=[ 1, 2, 255, 0, 1, 2, 255, 0 ]");
  });
});
