// runner.worker.ts: the browser's disposable runner worker. Links kernel.wasm with the learner's
// module and runs one scenario per request through engine/machine.ts, behind the engine's
// protocol (engine/runner-protocol.ts createRunnerHandler, which validates each request). The
// channel is Comlink: hello() hands over a MessagePort for the "step" messages, run() resolves
// with the final "result" or "error" message. A step goes one way on that port: a Comlink call
// per step would be a round trip through the page's main thread for every step of every
// scenario. The page's engine runner (engine/runner.ts over the transport in clients.ts)
// terminates the worker past the backstop deadline and spawns a new one.
import * as Comlink from "comlink";
import { runScenario } from "../../../engine/machine.js";
import { createRunnerHandler, type WorkerMessage } from "../../../engine/runner-protocol.js";
import type { RunnerWorkerApi } from "./api.js";

let steps: MessagePort | null = null;
let pending: { done: (m: WorkerMessage) => void } | null = null;
const handle = createRunnerHandler(runScenario, m => {
  if (!pending) return;
  if (m.type === "step") steps?.postMessage(m);
  else pending.done(m);
});

const api: RunnerWorkerApi = {
  async hello(port) { steps = port; return { type: "ready" }; },
  run(req) {
    return new Promise<WorkerMessage>(done => {
      pending = { done: m => { pending = null; done(m); } };
      handle(req);
      // a request without an id gets no answer from the handler: say so
      if (pending && (typeof req !== "object" || req === null || typeof (req as { id?: unknown }).id !== "number")) {
        pending = null;
        done({ type: "error", id: 0, error: { kind: "internal", message: "runner worker: not a run request" } });
      }
    });
  },
};
Comlink.expose(api);
