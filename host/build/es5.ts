// How every on-device bundle is minified: the library's (rollup.config.js) and every firmware's,
// the repository's apps and a user's alike (host/build/firmware-bundle.ts).
// Espruino cannot take `of`, `static` or `undefined` as identifiers (ESPRUINO.md); the mangler
// must never produce them. Espruino hoists nothing: a `var` does not exist until its statement
// runs, so a name used before it is the outer one. Minifying moves code around (branches
// swapped, one `var` kept for several loops, arguments of inlined functions made `var`s after
// the return). hoist_vars puts each function's vars in one statement at its top; inline: 1
// stops inlining functions with arguments, whose `var`s a late pass would add after hoisting.
// The build gates (host/rules/gates.ts) check every bundle for it. wrap_iife: Espruino's parser
// takes a `function` at the start of a for-initialiser for a declaration
// (`for(function(){}();;)` is a SyntaxError there); `(function(){})()` parses. reduce_funcs:
// false keeps a function called from one place a declaration: pasted into its caller it would be
// a function expression, a new closure (garbage) on every call of a hot path (found in kv).
export const terserOptions = {
  ecma: 5 as const,
  mangle: { reserved: ["of", "static", "undefined"] },
  compress: { passes: 2, hoist_vars: true, inline: 1 as const, reduce_funcs: false },
  format: { comments: false, wrap_iife: true },
};
