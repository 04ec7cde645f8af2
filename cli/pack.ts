// cli/pack.ts: a grader tarball built from the installed package (`prefault pack`, and the kits
// `prefault assignment` writes).
//
//   PACKAGE_ROOT ──stage──► tmp/package/  bin/ dist/ build/kernel*.wasm learner/ scenarios/
//                                         lessons/<id>/  (student: visible checks only, no
//                                                         solution/, no mutants/; no stages/)
//                                         node_modules/  (--bundle: the runtime dependencies)
//                └──npm pack──► OUT/prefault-grader[-student]-<lessons>.tgz
//
// A student grader holds nothing a student must not see: no reference solution (solution/,
// stages/, whose p1..p6 are the lessons' solutions), no mutant, no hidden check (not its
// explanation, nor the scenario only it runs). A bundled grader also carries its dependencies
// (binaryen without its command-line tools), so it runs where no registry is reachable:
// `npm install --offline x.tgz`, or `tar xzf x.tgz` and `node package/bin/prefault.js`.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { PACKAGE_ROOT } from "./node-paths.js";
import { splitHidden, type ChecksFolder } from "./student-lesson.js";

export interface PackOptions {
  /** lesson ids to include (default: every lesson of the package) */
  lessons?: string[];
  /** leave out solutions, mutants, hidden checks and stages */
  student: boolean;
  /** carry the runtime dependencies in node_modules/ */
  bundle: boolean;
  /** the folder the tarball is written to */
  outDir: string;
  /** where the lessons are read from (default the package's lessons/) */
  lessonsDir?: string;
}

export type PackResult =
  | { ok: true; file: string; hidden: Record<string, ChecksFolder> }
  | { ok: false; message: string };

const LESSON_ID = /^\d{2}-[a-z0-9-]+$/;

/** The tarball's file name: prefault-grader[-student]-<lesson ids joined by "+"|all>[-bundle].tgz. */
export function graderFileName(o: { lessons?: string[]; student: boolean; bundle: boolean }): string {
  const which = o.lessons && o.lessons.length > 0 ? o.lessons.join("+") : "all";
  return `prefault-grader${o.student ? "-student" : ""}-${which}${o.bundle ? "-bundle" : ""}.tgz`;
}

/** Builds the grader tarball. Returns its path and, for a student grader, each lesson's hidden
 *  checks as a --checks folder (for the kits), or a message saying what went wrong. */
export function packGrader(o: PackOptions): PackResult {
  const lessonsDir = o.lessonsDir ?? join(PACKAGE_ROOT, "lessons");
  const all = existsSync(lessonsDir) ? readdirSync(lessonsDir).filter(n => LESSON_ID.test(n) && existsSync(join(lessonsDir, n, "lesson.json"))).sort() : [];
  const ids = o.lessons && o.lessons.length > 0 ? o.lessons : all;
  for (const id of ids) if (!all.includes(id)) return { ok: false, message: `unknown lesson "${id}" (lessons: ${all.join(", ") || "none"})` };
  for (const need of ["bin/prefault.js", "dist/cli/main.js", "build/kernel.wasm"]) {
    if (!existsSync(join(PACKAGE_ROOT, need))) return { ok: false, message: `${join(PACKAGE_ROOT, need)} is missing: build the package first` };
  }
  const tmp = mkdtempSync(join(tmpdir(), "prefault-pack-"));
  try {
    const stage = join(tmp, "package");
    mkdirSync(stage);
    const noMaps = (src: string) => !src.endsWith(".map");
    for (const p of ["bin", "dist/cli", "dist/engine", "dist/lessons", "learner", "scenarios"]) {
      if (existsSync(join(PACKAGE_ROOT, p))) cpSync(join(PACKAGE_ROOT, p), join(stage, p), { recursive: true, filter: noMaps });
    }
    for (const w of ["kernel.wasm", "kernel.debug.wasm"]) {
      if (existsSync(join(PACKAGE_ROOT, "build", w))) cpSync(join(PACKAGE_ROOT, "build", w), join(stage, "build", w));
    }
    if (!o.student && existsSync(join(PACKAGE_ROOT, "stages"))) cpSync(join(PACKAGE_ROOT, "stages"), join(stage, "stages"), { recursive: true });
    const hidden: Record<string, ChecksFolder> = {};
    for (const id of ids) {
      const r = stageLesson(join(lessonsDir, id), join(stage, "lessons", id), o.student);
      if (!r.ok) return r;
      // the folder names its lesson: `grade --checks` refuses it for another lesson
      if (r.hidden) hidden[id] = { ...r.hidden, json: { lesson: id, ...r.hidden.json } };
    }
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    const deps = (pkg.dependencies ?? {}) as Record<string, string>;
    const staged: Record<string, unknown> = {
      name: pkg.name, version: pkg.version, description: pkg.description, type: pkg.type, license: pkg.license,
      bin: pkg.bin, engines: pkg.engines, dependencies: deps,
      prefault: { grader: o.student ? "student" : "full", lessons: ids },
    };
    if (o.bundle) {
      const r = bundleDependencies(Object.keys(deps), stage);
      if (!r.ok) return r;
      staged.bundleDependencies = Object.keys(deps);
    }
    writeFileSync(join(stage, "package.json"), JSON.stringify(staged, null, 2) + "\n");
    writeFileSync(join(stage, "README.md"), graderReadme(ids, o.student));
    const packed = npmPack(stage, tmp);
    if (!packed.ok) return packed;
    mkdirSync(o.outDir, { recursive: true });
    const file = join(resolve(o.outDir), graderFileName({ lessons: o.lessons, student: o.student, bundle: o.bundle }));
    cpSync(packed.file, file);
    return { ok: true, file, hidden };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Copies one lesson folder; a student copy keeps README.md, hints.md, starter/ and the visible
// checks with their scenarios, and returns the hidden checks apart.
function stageLesson(src: string, dst: string, student: boolean): { ok: true; hidden?: ChecksFolder } | { ok: false; message: string } {
  if (!student) { cpSync(src, dst, { recursive: true }); return { ok: true }; }
  let json: Record<string, unknown>;
  try { json = JSON.parse(readFileSync(join(src, "lesson.json"), "utf8")) as Record<string, unknown>; }
  catch (e) { return { ok: false, message: `${join(src, "lesson.json")}: ${(e as Error).message}` }; }
  const scenarios: Record<string, unknown> = {};
  const sdir = join(src, "scenarios");
  if (existsSync(sdir)) {
    for (const n of readdirSync(sdir).sort()) {
      if (!n.endsWith(".json")) continue;
      try { scenarios[n.slice(0, -5)] = JSON.parse(readFileSync(join(sdir, n), "utf8")); }
      catch (e) { return { ok: false, message: `${join(sdir, n)}: ${(e as Error).message}` }; }
    }
  }
  const split = splitHidden(json, scenarios);
  if (!split.ok) return { ok: false, message: `${src}: ${split.message}` };
  mkdirSync(join(dst, "scenarios"), { recursive: true });
  writeFileSync(join(dst, "lesson.json"), JSON.stringify(split.student.json, null, 2) + "\n");
  for (const [n, s] of Object.entries(split.student.scenarios)) writeFileSync(join(dst, "scenarios", `${n}.json`), JSON.stringify(s, null, 2) + "\n");
  for (const f of ["README.md", "hints.md"]) if (existsSync(join(src, f))) cpSync(join(src, f), join(dst, f));
  cpSync(join(src, "starter"), join(dst, "starter"), { recursive: true });
  return { ok: true, hidden: split.hidden };
}

// The folder of package `name` as Node would resolve it from `fromDir`.
function findPackageDir(name: string, fromDir: string): string | undefined {
  let d = fromDir;
  for (;;) {
    const p = join(d, "node_modules", name);
    if (existsSync(join(p, "package.json"))) return p;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

// Copies the dependency closure of `names` (from the package's node_modules) into
// stage/node_modules, flat; binaryen without its bin/ tools (the library is index.js).
function bundleDependencies(names: string[], stage: string): { ok: true } | { ok: false; message: string } {
  const queue = names.map(n => ({ name: n, from: PACKAGE_ROOT }));
  const done = new Map<string, string>();
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = findPackageDir(name, from);
    if (!dir) return { ok: false, message: `cannot bundle ${name}: not installed (run npm install in ${PACKAGE_ROOT})` };
    const pj = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    const seen = done.get(name);
    if (seen !== undefined) {
      if (seen !== pj.version) return { ok: false, message: `cannot bundle two versions of ${name} (${seen}, ${String(pj.version)})` };
      continue;
    }
    done.set(name, String(pj.version));
    const dst = join(stage, "node_modules", name);
    const dropBin = name === "binaryen";
    cpSync(dir, dst, {
      recursive: true,
      filter: src => !src.endsWith(".map") && !src.startsWith(join(dir, "node_modules")) && !(dropBin && src.startsWith(join(dir, "bin"))),
    });
    if (dropBin) { delete pj.bin; writeFileSync(join(dst, "package.json"), JSON.stringify(pj, null, 2) + "\n"); }
    for (const dep of Object.keys((pj.dependencies ?? {}) as Record<string, string>)) queue.push({ name: dep, from: dir });
  }
  return { ok: true };
}

// `npm pack` of the staged folder (no scripts run); the tarball's path.
function npmPack(stage: string, dest: string): { ok: true; file: string } | { ok: false; message: string } {
  const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const cmd = npmCli ? process.execPath : process.platform === "win32" ? "npm.cmd" : "npm";
  const args = [...(npmCli ? [npmCli] : []), "pack", "--ignore-scripts", "--json", "--pack-destination", dest];
  const r = spawnSync(cmd, args, { cwd: stage, encoding: "utf8", shell: process.platform === "win32" && !npmCli });
  if (r.error || r.status !== 0) return { ok: false, message: `npm pack failed: ${r.error?.message ?? r.stderr.trim().split("\n").slice(-3).join(" ")}` };
  let name: string;
  try { name = (JSON.parse(r.stdout) as { filename: string }[])[0].filename; }
  catch { return { ok: false, message: `npm pack printed no tarball name: ${r.stdout.slice(0, 200)}` }; }
  const file = join(dest, name.replace(/^@[^/]+\//, "").replace(/\//g, "-"));
  if (!existsSync(file)) return { ok: false, message: `npm pack did not write ${file}` };
  const renamed = join(dest, "grader.tgz");
  renameSync(file, renamed);
  return { ok: true, file: renamed };
}

function graderReadme(ids: string[], student: boolean): string {
  return [
    `# Prefault grader${student ? " (student copy)" : ""}`,
    "",
    `The \`prefault\` command with lesson${ids.length === 1 ? "" : "s"} ${ids.map(i => `\`${i}\``).join(", ")}.`,
    student ? "It grades the visible checks; it holds no reference solution, no mutant and no hidden check." : "",
    "",
    "```sh",
    `npx prefault lesson start ${ids[0] ?? "ID"} my-work`,
    `npx prefault grade --lesson ${ids[0] ?? "ID"} my-work/datastore.ts`,
    "```",
    "",
  ].join("\n");
}
