// Command-line arguments of `bootheap`: a command, --name value options, and positionals.

export interface ParsedArgs {
  command: string;
  options: Map<string, string>;
  positionals: string[];
}

/** Options that take no value. */
const FLAGS = new Set(["help", "bare", "fresh", "debug", "ts", "version"]);

export class UsageError extends Error {}

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = "help", ...rest] = argv;
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (FLAGS.has(name)) {
        options.set(name, "true");
        continue;
      }
      const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      options.set(name, value);
    } else {
      positionals.push(a);
    }
  }
  return { command, options, positionals };
}

export function checkKnown(args: ParsedArgs, known: string[]): void {
  for (const k of args.options.keys()) {
    if (!known.includes(k)) throw new UsageError(`unknown option --${k} for "${args.command}" (known: ${known.map((o) => "--" + o).join(", ")})`);
  }
}
