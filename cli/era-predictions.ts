// cli/era-predictions.ts: computes what the model predicts `prefault probe` sees in each kernel
// era (engine/probe/predict.ts) by compiling each era's stage (stages/v6.18, pre, p6) and running
// the observation scenarios on the release kernel, in this process. Called at the web app's
// build (web/predictions-plugin.ts: the browser's "On your machine" section gets the facts,
// never the stages' code) and by tests/probe/predictions.test.ts.

import { join } from "node:path";
import { compileDatastore, type AscModule } from "../engine/compile.js";
import { runScenario } from "../engine/machine.js";
import { ERAS, eraStage, predictionScenarios, predictionsOf, type EraPredictions } from "../engine/probe/predict.js";
import { ascVersion } from "./node-compile-cache.js";
import { loadKernel, stageDir } from "./node-paths.js";
import { readDatastoreFiles } from "./commands/run.js";

/** Every era's predictions; throws when a stage does not compile or the kernel is not built. */
export async function eraPredictions(): Promise<EraPredictions> {
  const kernel = loadKernel();
  if (!kernel.ok) throw new Error(kernel.message);
  const asc = (await import("assemblyscript/asc")).default as unknown as AscModule;
  const source = { version: ascVersion(), load: async () => asc };
  const scenarios = predictionScenarios().map(x => x.scenario);
  const out = {} as EraPredictions;
  for (const { era } of ERAS) {
    const stage = eraStage(era);
    const files = readDatastoreFiles(join(stageDir(stage), "datastore.ts"));
    if (!files.ok) throw new Error(files.message);
    const c = await compileDatastore(source, files.files);
    if (!c.ok) throw new Error(`stage ${stage} does not compile: ${c.error.message}`);
    const learner = new WebAssembly.Module(c.wasm as BufferSource);
    out[era] = predictionsOf(scenarios.map(s => runScenario(kernel.module, learner, s, { sourceMap: c.sourceMap })));
  }
  return out;
}
