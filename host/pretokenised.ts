// Espruino's pretokenised code: the form the `espruino` tool uploads to flash with PRETOKENISE
// (what `bootheap flash` asks for), and the one owner of that format here. The interpreter's lexer
// reads a byte from 138 up as one token (an operator or a reserved word, numbered as jslex.c
// numbers them), 0xD1/0xD2 as a string given by its length, 0xD3-0xD5 as an integer. Whitespace
// and comments are gone. Code is about 14% smaller in Storage and the lexer skips the work of
// recognising keywords.
// - `pretokenise` makes what the tool makes (byte for byte on our bundles; test/build/pretokenised.test.ts
//   compares it with the tool's own plugin), so the fit check counts the bytes that reach Storage.
// - `detokenise` turns it back into text the emulator's V8 can run, as the device's lexer reads it.
import { tokenizer, type Token } from "acorn";

/** Token number of the first entry of TOKENS (jslex.c: LEX_EQUAL). */
const FIRST_TOKEN = 138;
/** Operators, then reserved words, in the interpreter's token order. */
const TOKENS = [
  "==", "===", "!=", "!==", "<=", "<<", "<<=", ">=", ">>", ">>>", ">>=", ">>>=", "+=", "-=", "++", "--",
  "*=", "/=", "%=", "&=", "&&", "|=", "||", "^=", "=>",
  "if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const",
  "this", "throw", "try", "catch", "finally", "true", "false", "null", "undefined", "new", "in",
  "instanceof", "switch", "case", "default", "delete", "typeof", "void", "debugger", "class", "extends",
  "super", "static", "of",
];
/** A string of fewer than 256 bytes: the byte, its length, the bytes. */
const RAW_STRING8 = 0xd1;
/** A string of fewer than 65536 bytes: the byte, its length (2 bytes, little-endian), the bytes. */
const RAW_STRING16 = 0xd2;
/** The integer 0. */
const RAW_INT0 = 0xd3;
/** An integer from -128 to 127: the byte, one signed byte. */
const RAW_INT8 = 0xd4;
/** An integer from -32768 to 32767: the byte, two signed bytes, little-endian. */
const RAW_INT16 = 0xd5;
/** The tool never tokenises `catch` (an old interpreter bug, espruino/Espruino#1868); neither do we. */
const UNTOKENISED = new Set(["catch"]);
/** Tokens after which a `-` is a sign, folded into the integer that follows. */
const SIGN_CONTEXT = new Set([",", "(", ":", "?", "="]);

/** Interpreters that read tokenised strings (2v20.48 on) and integers (2v25.396 on, the tool says 2v26). */
export interface TokenForms {
  strings: boolean;
  ints: boolean;
}

/** What the tool's "Auto" setting uses for an interpreter of `version` ("2v29"). */
export function tokenFormsFor(version: string): TokenForms {
  const v = parseFloat(version.replace("v", "0"));
  return { strings: v >= 2020.48, ints: v >= 2026 };
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 255) return false;
  return true;
}

function rawInt(value: number): string | null {
  if (value === 0 && 1 / value > 0) return String.fromCharCode(RAW_INT0);
  if (value >= -128 && value < 128) return String.fromCharCode(RAW_INT8, value & 255);
  if (value >= -32768 && value < 32768) return String.fromCharCode(RAW_INT16, value & 255, (value >> 8) & 255);
  return null;
}

/** How text that stays text (names, quoted strings, regular expressions) is written: as it is, or as UTF-8 bytes. */
export type TextBytes = "chars" | "utf8";

const utf8 = (text: string): string => (/[^\x00-\x7f]/.test(text) ? Buffer.from(text, "utf8").toString("latin1") : text);

/**
 * `code` in pretokenised form, one char per byte, as the espruino tool makes it: newlines between
 * top-level statements stay; a template literal is one token (a raw string when it has no
 * substitution). `text`: "chars" is the tool's string (the tool encodes it as it sends it);
 * "utf8" is the bytes Storage holds, text outside tokens written as UTF-8 as the device stores it.
 * Throws on code that does not tokenise (a syntax error), as the tool's tokenizer does.
 */
export function pretokenise(code: string, forms: TokenForms, text: TextBytes = "chars"): string {
  const tokens = tokenizer(code, { ecmaVersion: 2020 })[Symbol.iterator]() as Iterator<Token & { value: unknown }>;
  const put = text === "utf8" ? utf8 : (s: string) => s;
  let out = "";
  let depth = 0;
  let lastEnd = 0;
  let last = { text: "", word: false };
  let beforeLast = "";
  for (let next = tokens.next(); !next.done; next = tokens.next()) {
    const token = next.value;
    let end = token.end;
    let label = token.type.label;
    let value = token.value;
    if (label === "`") {
      // The whole template is one token; only one without substitutions has a value.
      let nesting = 0;
      let substituted = false;
      value = "";
      for (let inner = tokens.next(); !inner.done; inner = tokens.next()) {
        const t = inner.value.type.label;
        if (t === "${") (nesting++, (substituted = true));
        else if (t === "{") nesting++;
        else if (t === "}") nesting--;
        else if (t === "template" && nesting === 0) value = inner.value.value;
        end = inner.value.end;
        if (nesting === 0 && t === "`") break;
      }
      label = substituted ? "template" : "string";
      if (substituted) value = undefined;
    }
    const tokenText = code.slice(token.start, end);
    if (depth === 0 && code.slice(lastEnd, token.start).includes("\n")) out += "\n";
    if (tokenText === "(" || tokenText === "{" || tokenText === "[") depth++;
    if (tokenText === ")" || tokenText === "}" || tokenText === "]") depth--;
    const tokenIndex = UNTOKENISED.has(tokenText) ? -1 : TOKENS.indexOf(tokenText);
    // The tool puts a space only between two words (names, unreserved keywords, numbers).
    let word = label === "name" || label === "num" || token.type.keyword !== undefined;
    if (typeof value === "string" && label === "string" && forms.strings && value.length > 0 && value.length < 65536 && isLatin1(value)) {
      out += value.length < 256 ? String.fromCharCode(RAW_STRING8, value.length) + value : String.fromCharCode(RAW_STRING16, value.length & 255, value.length >> 8) + value;
      word = false;
    } else if (typeof value === "number" && label === "num" && forms.ints) {
      const sign = last.text === "-" && SIGN_CONTEXT.has(beforeLast) ? -1 : 1;
      const raw = Number.isInteger(value) ? rawInt(sign * value) : null;
      if (raw !== null && sign < 0) out = out.slice(0, -1);
      out += raw ?? tokenText;
    } else if (tokenIndex >= 0) {
      out += String.fromCharCode(FIRST_TOKEN + tokenIndex);
      word = false;
    } else {
      out += (word && last.word ? " " : "") + put(tokenText);
    }
    lastEnd = end;
    beforeLast = last.text;
    last = { text: tokenText, word };
  }
  return out;
}

function tokenText(code: number): string | undefined {
  return code >= FIRST_TOKEN && code < FIRST_TOKEN + TOKENS.length ? TOKENS[code - FIRST_TOKEN] : undefined;
}

const WORD_CHAR = /[A-Za-z0-9_$]/;

/**
 * Source text the interpreter reads as it reads `code`: tokens back to words and operators (with
 * spaces around, which change nothing outside strings), raw strings to quoted strings, raw integers to numbers.
 * Text with no token bytes comes back unchanged. Quoted strings, regular expressions and comments
 * are copied as they are: a byte from 138 up there is a character, as on the device.
 */
export function detokenise(code: string): string {
  if (!/[\x8a-\xd5]/.test(code)) return code;
  let out = "";
  // Whether the last thing read ends a value, after which `/` divides instead of starting a regex.
  let afterValue = false;
  let i = 0;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    const ch = code[i];
    const token = tokenText(c);
    if (token !== undefined) {
      // Spaces keep a token from merging with its neighbours (`a++ + ++b` is stored as ++,+,++).
      out += " " + token + " ";
      afterValue = token === "this" || token === "true" || token === "false" || token === "null" || token === "undefined" || token === "++" || token === "--";
      i++;
    } else if (c === RAW_STRING8 || c === RAW_STRING16) {
      const length = c === RAW_STRING8 ? code.charCodeAt(i + 1) : code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8);
      const start = i + (c === RAW_STRING8 ? 2 : 3);
      out += JSON.stringify(code.slice(start, start + length));
      afterValue = true;
      i = start + length;
    } else if (c === RAW_INT0 || c === RAW_INT8 || c === RAW_INT16) {
      const value = c === RAW_INT0 ? 0 : c === RAW_INT8 ? (code.charCodeAt(i + 1) << 24) >> 24 : ((code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8)) << 16) >> 16;
      out += " " + value + " ";
      afterValue = true;
      i += c === RAW_INT0 ? 1 : c === RAW_INT8 ? 2 : 3;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      let j = i + 1;
      while (j < code.length && code[j] !== ch) j += code[j] === "\\" ? 2 : 1;
      out += code.slice(i, j + 1);
      afterValue = true;
      i = j + 1;
    } else if (ch === "/" && code[i + 1] === "/") {
      const end = code.indexOf("\n", i);
      out += end < 0 ? code.slice(i) : code.slice(i, end);
      i = end < 0 ? code.length : end;
    } else if (ch === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      out += end < 0 ? code.slice(i) : code.slice(i, end + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (ch === "/" && !afterValue) {
      let j = i + 1;
      let inClass = false;
      while (j < code.length && (code[j] !== "/" || inClass)) {
        if (code[j] === "\\") j++;
        else if (code[j] === "[") inClass = true;
        else if (code[j] === "]") inClass = false;
        j++;
      }
      j++;
      while (j < code.length && WORD_CHAR.test(code[j])) j++;
      out += code.slice(i, j);
      afterValue = true;
      i = j;
    } else {
      out += ch;
      if (WORD_CHAR.test(ch) || ch === ")" || ch === "]") afterValue = true;
      else if (!/\s/.test(ch)) afterValue = false;
      i++;
    }
  }
  return out;
}
