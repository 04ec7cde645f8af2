// cli/node-runner-worker.ts: the disposable runner worker (worker_threads) of the Node CLI.
// It runs scenarios with engine/machine.ts and answers each request (engine/runner-protocol.ts);
// its "ready" carries its OS thread id, the key to its CPU clock (cli/thread-clock.ts). Started
// and, past the backstop deadline, terminated by the engine's runner (cli/node-runner.ts).
import { parentPort } from "node:worker_threads";
import { createRunnerHandler, type RunScenarioFn, type WorkerMessage } from "../engine/runner-protocol.js";
import { workerThreadId } from "./thread-clock.js";

const port = parentPort;
if (!port) throw new Error("node-runner-worker: not started as a worker");
const machine = "../engine/machine.js";   // loaded by path: the runner does not need its types
const { runScenario } = (await import(machine)) as { runScenario: RunScenarioFn };
const handle = createRunnerHandler(runScenario, (m: WorkerMessage) => port.postMessage(m));
port.on("message", (m: unknown) => handle(m));
const tid = workerThreadId();
port.postMessage((tid === undefined ? { type: "ready" } : { type: "ready", tid }) satisfies WorkerMessage);
