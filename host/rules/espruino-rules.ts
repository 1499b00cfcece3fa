// The rules of ../shared/ESPRUINO.md (measured on Espruino 2v29) as data, shared by the
// build gates and the emulator so both enforce the same list.

/** Globals whose `typeof` is "undefined" on the device. */
export const MISSING_GLOBALS: readonly string[] = [
  "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "Proxy",
  "Reflect", "BigInt", "RangeError", "EvalError", "URIError", "BigInt64Array", "BigUint64Array",
  "SharedArrayBuffer", "Atomics", "globalThis",
];

/** Static members missing on the device, as "Owner.member". */
export const MISSING_STATICS: readonly string[] = [
  "Math.clz32", "Math.imul", "Math.trunc", "Math.log2", "Math.fround", "Math.sign", "Math.cbrt",
  "Math.hypot", "Math.expm1", "Math.log1p", "Math.log10", "Math.sinh", "Math.cosh", "Math.tanh",
  "Number.isInteger", "Number.isSafeInteger", "Number.MAX_SAFE_INTEGER", "Number.MIN_SAFE_INTEGER",
  "Number.EPSILON", "Array.from", "Array.of", "Object.freeze", "Object.isFrozen", "Object.is",
  "Object.seal", "Object.fromEntries", "ArrayBuffer.isView", "Uint8Array.from", "Uint8Array.of",
  "Float32Array.from", "Float64Array.from", "Int32Array.from", "Uint32Array.from",
];

/** Prototype methods missing on the device; any `.name(` call with these names is suspect. */
export const MISSING_METHODS: readonly string[] = [
  "lastIndexOf", "reduceRight", "flat", "flatMap", "at", "copyWithin", "BYTES_PER_ELEMENT",
];

// Rules beyond ESPRUINO.md, found by running our bundles on the interpreter built from its
// source (Linux target, 2v29) and enforced by the gates (host/rules/gates.ts):
// - an array's `length` cannot be written (`a.length = 0`, `a.length--` throw "Assignment to a
//   constant"); use splice() or pop(). The emulator enforces it too (syntax.ts rewrite).
// - `var` is not hoisted either: a name used before its `var` statement runs is the outer
//   name (a minifier's `...; return (s = r) > 0; var s` overwrote an outer function `s`).
//   The emulator does not reproduce this; the gates check every bundle in source order.
// - a for-initialiser cannot start with `function` (`for(function(){}();;)` is a SyntaxError;
//   `for((function(){})();;)` parses). The emulator rejects it too.

/** Identifiers the device's parser cannot take as names. */
export const FORBIDDEN_IDENTIFIERS: readonly string[] = ["of", "static", "undefined"];

/** A typed-array view or DataView at a byteOffset above this throws on the device. */
export const VIEW_BYTE_OFFSET_MAX = 65535;

/** The device's largest ArrayBuffer. */
export const ARRAY_BUFFER_BYTES_MAX = 0xffffff;
