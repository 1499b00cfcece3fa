// host/pretokenised.ts against the espruino tool's own pretokeniser (what `bootheap flash`
// uploads), and its decoder (what the emulator runs) against the text it came from.
import { tokenizer } from "acorn";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { codeOf } from "../../host/build/code-size.js";
import { detokenise, pretokenise, tokenFormsFor } from "../../host/pretokenised.js";
import { toolPretokenise } from "../support/espruino-tool-pretokenise.js";

const SNIPPETS = [
  "var a = -5, b = [1, -200, 70000, -70000, 0x7f, 1.5, 1e3, 0], c = a - 5, d = x ? -1 : -32768;",
  "function f(of, s) { try { return typeof s === 'string' ? s + \"é\" : void 0; } catch (e) { throw e; } }",
  "for (var k in o) if (o.hasOwnProperty(k) && !(k in skip)) delete o[k]; else o.default = undefined;",
  "var re = /[/\\]]+\\/x/g, q = 4 / 2 / 1, t = `plain`, u = `a${b + `in${c}`}d`, e = '', z = '€uro';",
  "x = a++ + ++b - --c >>> 2 <= 3 !== 4 && y || z;\nvar next = 1;\n",
];

const tokens = (code: string): string[] => Array.from(tokenizer(code, { ecmaVersion: 2020 }), (t) => t.type.label + ":" + String((t as { value?: unknown }).value));

const BUNDLES = existsSync("dist/espruino/modules")
  ? [...readdirSync("dist/espruino/modules").map((f) => "dist/espruino/modules/" + f), "dist/espruino/bootheap.debug.min.js"]
  : [];

describe("pretokenised code", () => {
  test("the built bundles exist (npm run build)", () => {
    expect(BUNDLES.length).toBeGreaterThan(10);
  });

  for (const version of ["2v29", "2v21", "2v19"]) {
    test(`is byte for byte what the espruino tool uploads to a ${version} board: snippets and every bundle`, () => {
      for (const code of [...SNIPPETS, ...BUNDLES.map((f) => readFileSync(f, "latin1"))]) {
        expect(pretokenise(code, tokenFormsFor(version))).toBe(toolPretokenise(code, version));
      }
    });
  }

  test("versions: strings from 2v20.48, integers from 2v26 (the tool's rule)", () => {
    expect(tokenFormsFor("2v19")).toEqual({ strings: false, ints: false });
    expect(tokenFormsFor("2v25")).toEqual({ strings: true, ints: false });
    expect(tokenFormsFor("2v29")).toEqual({ strings: true, ints: true });
  });

  test("reads back as the same tokens it was made from, and about 14% smaller", () => {
    for (const code of [SNIPPETS[0], SNIPPETS[1], SNIPPETS[2], SNIPPETS[4], ...BUNDLES.map((f) => readFileSync(f, "latin1"))]) {
      const packed = pretokenise(code, tokenFormsFor("2v29"));
      expect(tokens(detokenise(packed))).toEqual(tokens(code));
    }
    const bundle = readFileSync("dist/espruino/modules/tlsf.min.js", "latin1");
    expect(pretokenise(bundle, tokenFormsFor("2v29")).length / bundle.length).toBeLessThan(0.9);
  });

  test("text with no token bytes, and token bytes inside strings, regular expressions and comments, stay as they are", () => {
    for (const code of SNIPPETS) expect(detokenise(code)).toBe(code);
    const quoted = "var s = '\xaa\xd1', r = /\xac/; // \xd3\n/* \xd4 */ t = \"\\\"\xaa\";";
    expect(detokenise(quoted)).toBe(quoted);
    expect(detokenise("\xaa\xd1\x02\xe9\xaa\xd4\xfe")).toBe(' function "\xe9\xaa" -2 ');
  });

  test("UTF-8 bytes: text outside tokens is stored as the device stores it", () => {
    expect(pretokenise("var s = '€uro', t = 'é';", tokenFormsFor("2v29"), "utf8")).toBe("\xacs='\xe2\x82\xacuro',t=\xd1\x01\xe9;");
  });

  test("the fit check counts flashed code pretokenised, RAM code as text", () => {
    const code = readFileSync("dist/espruino/modules/pool.min.js", "latin1");
    const flash = codeOf(code, "flash");
    expect(flash.textBytes).toBe(code.length);
    expect(flash.bytes).toBe(pretokenise(code, tokenFormsFor("2v29")).length);
    expect(codeOf(code, "ram").bytes).toBe(code.length);
  });
});
