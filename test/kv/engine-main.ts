// The entry of the Duktape bundle: prints the session's transcript.
import { runSession } from "./engine-session.js";

declare const print: (s: string) => void;
const lines = runSession();
for (let i = 0; i < lines.length; i++) print(lines[i]);
