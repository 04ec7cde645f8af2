// runner.worker.ts: the disposable runner worker. Links kernel.wasm with the learner's module and
// runs a batch of scenarios per call through engine/machine.ts. It never outlives an endless loop: the
// page terminates it after a deadline (clients.ts) and spawns a new one.
import * as Comlink from "comlink";
import { runScenario } from "../../../engine/machine.js";
import { errorOf } from "../../../engine/runner-protocol.js";
import type { Scenario } from "../../../engine/types.js";
import type { RunnerApi, RunnerProgress } from "./api.js";

let kernel: WebAssembly.Module | null = null;

const api: RunnerApi = {
  async init(k: WebAssembly.Module) { kernel = k; },
  async runBatch(learner: WebAssembly.Module, sourceMap: string | undefined, scenarios: Scenario[]) {
    if (!kernel) return { ok: false, error: { kind: "internal", message: "runner: kernel module not loaded" } };
    const runs = [];
    for (const [i, sc] of scenarios.entries()) {
      try { runs.push(runScenario(kernel, learner, sc, { sourceMap })); }
      catch (e) { return { ok: false, error: errorOf(e) }; }
      const progress: RunnerProgress = { prefaultProgress: i };
      self.postMessage(progress);
    }
    return { ok: true, runs };
  },
};
Comlink.expose(api);
