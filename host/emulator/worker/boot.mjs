// Worker entry: the board runs in its own thread so that the console (TCP, terminal) stays
// responsive while the program spins, and Ctrl-C can reach it. TypeScript via tsx.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
