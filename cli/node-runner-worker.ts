// cli/node-runner-worker.ts: the disposable runner worker (worker_threads) of the Node CLI.
// It runs scenarios with engine/machine.ts and answers each request once (engine/runner-protocol.ts).
// Started and, when a handler hangs, terminated by cli/node-runner.ts. Runs no compiler.
import { parentPort } from "node:worker_threads";
import { createRunnerHandler, type RunRequest, type RunResponse, type RunScenarioFn } from "../engine/runner-protocol.js";

const port = parentPort;
if (!port) throw new Error("node-runner-worker: not started as a worker");
const machine = "../engine/machine.js";   // loaded by path: the runner does not need its types
const { runScenario } = (await import(machine)) as { runScenario: RunScenarioFn };
const handle = createRunnerHandler(runScenario, (m: RunResponse) => port.postMessage(m));
port.on("message", (m: RunRequest) => handle(m));
port.postMessage({ type: "ready" } satisfies RunResponse);
