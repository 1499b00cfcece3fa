// Several benchmarks share docs/BENCHMARKS.md: each owns the text between its markers
// `<!-- NAME:start -->` and `<!-- NAME:end -->`, appended at the end when absent.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function writeDocSection(name: string, section: string, path = "docs/BENCHMARKS.md"): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let doc = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const block = start + "\n" + section + "\n" + end;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) doc = doc.slice(0, a) + block + doc.slice(b + end.length);
  else doc = doc.replace(/\n*$/, "\n\n") + block + "\n";
  writeFileSync(path, doc);
}
