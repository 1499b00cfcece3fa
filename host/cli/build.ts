// `bootheap build [--board B] [--app FILE] [--debug] [--code-in flash|ram]`: builds the project's
// app for one board into dist/<BOARD>/ and prints the fit report (host/build/app-build.ts).
// Exit code 1 when the app breaks a rule or does not fit; the report says by how much.
import { loadBoard, listBoardNames } from "../boards.js";
import { buildApp } from "../build/app-build.js";
import { BuildError } from "../build/build-error.js";
import type { CodeIn } from "../../plan/fit.js";
import { projectAppFile, projectFirmwarePath, readProject } from "../project/project.js";
import { checkKnown, UsageError, type ParsedArgs } from "./args.js";
import { Progress } from "./progress.js";

export async function build(args: ParsedArgs): Promise<number> {
  checkKnown(args, ["board", "app", "debug", "code-in", "help"]);
  const project = readProject();
  const boardName = args.options.get("board") ?? project.config.board;
  if (boardName === undefined) {
    throw new UsageError(`build needs a board: --board B, or "board" in package.json's "bootheap" (known boards: ${listBoardNames().join(", ")})`);
  }
  const board = loadBoard(boardName);
  const appFile = projectAppFile(project, args.options.get("app") ?? args.positionals[0]);
  if (appFile === null) throw new UsageError(`no app in ${project.dir}: give --app FILE, or create one with: npx bootheap init`);
  const codeIn = (args.options.get("code-in") ?? "flash") as CodeIn;
  if (codeIn !== "flash" && codeIn !== "ram") throw new UsageError(`--code-in must be flash or ram, got ${JSON.stringify(codeIn)}`);
  const debug = args.options.has("debug");

  let progress: Progress | null = null;
  try {
    const result = await buildApp({
      appFile,
      board,
      debug,
      codeIn,
      outFile: projectFirmwarePath(project, board.name, appFile, debug),
      onStep: (step) => {
        progress = progress ?? new Progress();
        progress.update(step);
      },
    });
    (progress as Progress | null)?.done(result.fits ? "built" : "built, but it does not fit");
    process.stdout.write(result.report + (result.cached ? "\n  (unchanged since the last build)" : "") + "\n");
    return result.fits ? 0 : 1;
  } catch (e) {
    (progress as Progress | null)?.done("build failed");
    if (e instanceof BuildError) {
      process.stderr.write(`bootheap build: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
