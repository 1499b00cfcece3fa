// How many brackets are still open in a piece of console input, skipping strings, template
// literals, comments and (by the usual heuristic) regular expressions: the device waits for
// more lines while this is above zero. An unterminated block comment or template counts open.

const REGEX_CAN_FOLLOW = new Set(["", "(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^"]);

export function bracketDepth(src: string): number {
  let depth = 0;
  let last = ""; // last significant character outside strings and comments
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) return depth + 1;
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && src[i] !== c && src[i] !== "\n") i += src[i] === "\\" ? 2 : 1;
      i++;
      last = c;
      continue;
    }
    if (c === "`") {
      i++;
      while (i < n && src[i] !== "`") i += src[i] === "\\" ? 2 : 1;
      if (i >= n) return depth + 1;
      i++;
      last = c;
      continue;
    }
    if (c === "/" && REGEX_CAN_FOLLOW.has(last)) {
      i++;
      let inClass = false;
      while (i < n && src[i] !== "\n" && (inClass || src[i] !== "/")) {
        if (src[i] === "[") inClass = true;
        else if (src[i] === "]") inClass = false;
        i += src[i] === "\\" ? 2 : 1;
      }
      i++;
      last = "/";
      continue;
    }
    if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") depth--;
    if (!/\s/.test(c)) last = /[A-Za-z0-9_$]/.test(c) ? "a" : c;
    i++;
  }
  return depth;
}
