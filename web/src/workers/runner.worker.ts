// runner.worker.ts: the browser's disposable runner worker. Links kernel.wasm with the learner's
// module and runs one scenario per request through engine/machine.ts, behind the engine's
// protocol (engine/runner-protocol.ts createRunnerHandler, which validates each request). The
// channel is Comlink: run() streams the "step" messages through a proxied callback and resolves
// with the final "result" or "error" message. The page's engine runner (engine/runner.ts over the
// transport in clients.ts) terminates it past the backstop deadline and spawns a new one.
import * as Comlink from "comlink";
import { runScenario } from "../../../engine/machine.js";
import { createRunnerHandler, type WorkerMessage } from "../../../engine/runner-protocol.js";
import type { RunnerWorkerApi } from "./api.js";

let pending: { onStep: (m: WorkerMessage) => void; done: (m: WorkerMessage) => void } | null = null;
const handle = createRunnerHandler(runScenario, m => {
  if (!pending) return;
  if (m.type === "step") pending.onStep(m);
  else pending.done(m);
});

const api: RunnerWorkerApi = {
  async hello() { return { type: "ready" }; },
  run(req, onStep) {
    return new Promise<WorkerMessage>(done => {
      pending = { onStep: m => void onStep(m), done: m => { pending = null; done(m); } };
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
