// predictions-plugin.ts: the module "virtual:prefault-predictions" of the web build: what the model
// predicts `prefault probe` sees in each kernel era (engine/probe/predict.ts), computed at build
// time by running the eras' stages (cli/era-predictions.ts, from the compiled dist/). The browser
// gets the facts only, never a stage's code (the classroom build ships no solution). The result
// is kept in build/era-predictions.json under a hash of everything it is made from (the kernel,
// the stages, the compiled probe model), so an unchanged tree does not run the model again.
import type { Plugin } from "vite";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ID = "virtual:prefault-predictions";

// the inputs of the predictions, hashed
function inputsHash(root: string): string {
  const h = createHash("sha256");
  const add = (p: string) => { h.update(p + "\0"); h.update(existsSync(p) ? readFileSync(p) : "-"); };
  add(join(root, "build", "kernel.wasm"));
  for (const era of ["v6.18", "pre", "p6"]) {
    const dir = join(root, "stages", era);
    for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) add(join(dir, f));
  }
  for (const f of ["observations.js", "predict.js", "compare.js", "record.js"]) add(join(root, "dist", "engine", "probe", f));
  add(join(root, "dist", "engine", "machine.js"));
  add(join(root, "dist", "engine", "compile.js"));
  return h.digest("hex").slice(0, 24);
}

/** The plugin; `root` is the repository folder. */
export function predictions(root: string): Plugin {
  return {
    name: "prefault-predictions",
    resolveId(id) { return id === ID ? "\0" + ID : undefined; },
    async load(id) {
      if (id !== "\0" + ID) return undefined;
      const key = inputsHash(root);
      const cacheFile = join(root, "build", "era-predictions.json");
      try {
        const kept = JSON.parse(readFileSync(cacheFile, "utf8")) as { key: string; predictions: unknown };
        if (kept.key === key) return `export default ${JSON.stringify(kept.predictions)};`;
      } catch { /* none yet */ }
      const mod = resolve(root, "dist", "cli", "era-predictions.js");
      if (!existsSync(mod)) this.error("dist/cli/era-predictions.js is missing: run `npm run build:ts` before the web build");
      const { eraPredictions } = await import(pathToFileURL(mod).href) as { eraPredictions(): Promise<unknown> };
      const p = await eraPredictions();
      try { writeFileSync(cacheFile, JSON.stringify({ key, predictions: p })); } catch { /* a read-only tree: computed again next time */ }
      return `export default ${JSON.stringify(p)};`;
    },
  };
}
