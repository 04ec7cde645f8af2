// stages-plugin.ts: the module "virtual:prefault-stages" of the web build: the Linux stages
// (stages/<name>/datastore.ts) the compare view offers, compiled at build time by the real
// compiler through the engine's own compileDatastore() (the same compile, fuel meter and flags
// as the compiler worker's), so comparing costs the browser no compile and the compiler worker,
// which the learner's first Run waits for, never sees a stage. Each becomes a hashed .wasm asset
// that is fetched only when the learner compares with it. The CLI's compile store
// (.cache/compile/) keeps the results, so an unchanged stage costs a later build nothing.
//
// A classroom build (PREFAULT_NO_SOLUTIONS) ships only the stages some lesson of the build may
// offer (engine/compare-stages.ts classroomMayOffer: a stage that solves no lesson at or after
// that one); the others are not in the bundle at all.
import type { Plugin } from "vite";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ID = "virtual:prefault-stages";

export function stages(o: { classroom: boolean; only: string[] | null }): Plugin {
  const root = resolve(import.meta.dirname, "..");
  const out = join(root, "build", "stages");
  return {
    name: "prefault-stages",
    resolveId(id) { return id === ID ? "\0" + ID : undefined; },
    async load(id) {
      if (id !== "\0" + ID) return undefined;
      // the built engine (dist/), exactly what `prefault run --compare` compiles with: the same
      // modules, hence the same bytes (a transpiled copy of the sources loaded into the bundler's
      // config context does not give byte-identical modules)
      const dist = (f: string) => {
        const p = join(root, "dist", f);
        if (!existsSync(p)) this.error(`${p} is missing: run \`npm run build:ts\` before the web build`);
        return pathToFileURL(p).href;
      };
      const { STAGES, classroomMayOffer } = await import(dist("engine/compare-stages.js")) as typeof import("../engine/compare-stages.ts");
      const { compileDatastore } = await import(dist("engine/compile.js")) as typeof import("../engine/compile.ts");
      const { ascVersion, diskCompileStore } = await import(dist("cli/node-compile-cache.js")) as typeof import("../cli/node-compile-cache.ts");
      const lessons = readdirSync(join(root, "lessons")).filter(l => existsSync(join(root, "lessons", l, "lesson.json")))
        .filter(l => !o.only || o.only.includes(l)).sort();
      const chosen = STAGES.filter(s => !o.classroom || lessons.some(l => classroomMayOffer(s, l)));
      const asc = { version: ascVersion(), load: async () => (await import("assemblyscript/asc")).default as never };
      const store = diskCompileStore();
      mkdirSync(out, { recursive: true });
      const imports: string[] = [], entries: string[] = [];
      for (const [i, s] of chosen.entries()) {
        const src = join(root, "stages", s.name, "datastore.ts");
        this.addWatchFile(src);
        const r = await compileDatastore(asc, { "datastore.ts": readFileSync(src, "utf8") }, { store });
        if (!r.ok) this.error(`stage ${s.name} does not compile: ${r.error.message}`);
        const file = join(out, `${s.name}.wasm`);
        if (!existsSync(file) || !Buffer.from(r.wasm).equals(readFileSync(file))) writeFileSync(file, r.wasm);
        imports.push(`import u${i} from ${JSON.stringify(file + "?url")};`);
        entries.push(`{ ...${JSON.stringify({ name: s.name, title: s.title, solves: s.solves, hash: r.hash })}, url: u${i} }`);
      }
      return `${imports.join("\n")}\nexport default { classroom: ${o.classroom}, stages: [${entries.join(", ")}] };\n`;
    },
  };
}
