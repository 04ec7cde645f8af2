// runner.worker.ts: the disposable runner worker. Links kernel.wasm with the learner's module and
// runs one scenario per call through engine/machine.ts. It never outlives an endless loop: the
// page terminates it after a deadline (clients.ts) and spawns a new one.
import * as Comlink from "comlink";
import { runScenario } from "../../../engine/machine.js";
import { errorOf } from "../../../engine/runner-protocol.js";
import type { Scenario } from "../../../engine/types.js";
import type { RunnerApi } from "./api.js";

let kernel: WebAssembly.Module | null = null;

const api: RunnerApi = {
  async init(k: WebAssembly.Module) { kernel = k; },
  async run(learner: WebAssembly.Module, sourceMap: string | undefined, scenario: Scenario) {
    if (!kernel) return { ok: false, error: { kind: "internal", message: "runner: kernel module not loaded" } };
    try {
      return { ok: true, run: runScenario(kernel, learner, scenario, { sourceMap }) };
    } catch (e) {
      return { ok: false, error: errorOf(e) };
    }
  },
};
Comlink.expose(api);
