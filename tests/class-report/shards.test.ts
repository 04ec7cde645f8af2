// The kit's class-grading workflow (cli/class-workflow.ts) run as GitHub would run it, on this
// machine: its matrix's shard jobs as parallel processes (each job's `run:` steps from the parsed
// YAML, with the matrix and inputs filled in), the artifacts handed over as files, then the merge
// job. The merged class.json, class.csv and class.html are byte-identical to one unsharded
// grade-all of the same folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { classGradingWorkflow, WORKFLOW_ACTIONS, WORKFLOW_NODE } from "../../cli/class-workflow.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const BIN = join(ROOT, "bin", "prefault.js");
const LESSON = "01-first-fault";
const SHARDS = 3;
let dir = "", repo = "", wrapper = "";

type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] };
type Workflow = { env: Record<string, string>; jobs: Record<string, Job>; on: { workflow_dispatch: { inputs: { submissions: { default: string } } } } };

before(() => {
  dir = mkdtempSync(join(tmpdir(), "prefault-shards-"));
  repo = join(dir, "repo");
  const lesson = join(ROOT, "lessons", LESSON);
  const put = (student: string, text: string) => { mkdirSync(join(repo, "submissions", student), { recursive: true }); writeFileSync(join(repo, "submissions", student, "datastore.ts"), text); };
  put("ana", readFileSync(join(lesson, "solution", "datastore.ts"), "utf8"));
  put("Ben", readFileSync(join(lesson, "starter", "datastore.ts"), "utf8"));
  for (const m of readdirSync(join(lesson, "mutants")).sort().slice(0, 2)) put(`m-${m.replace(/\.ts$/, "")}`, readFileSync(join(lesson, "mutants", m), "utf8"));
  put("zoe", "export function vvar_fault( {\n");
  mkdirSync(join(repo, "submissions", "empty"));
  // the grader the workflow's install step would put on the PATH: this checkout's bin
  wrapper = join(dir, "prefault");
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(wrapper, 0o755);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Fills in the two expressions the workflow's step envs use; any other is a test failure. */
function expand(v: string, ctx: Record<string, string>): string {
  return v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
    assert.ok(e in ctx, `unexpected expression ${e}`);
    return ctx[e];
  });
}

/** A job's run: steps in order, as bash -e (GitHub's default shell), in the repository. */
function runJob(wf: Workflow, job: Job, ctx: Record<string, string>): Promise<{ code: number; out: string }> {
  const script = job.steps.filter(s => s.run && !/Install the Prefault grader/.test(s.name ?? ""))
    .map(s => Object.entries(s.env ?? {}).map(([k, v]) => `export ${k}=${JSON.stringify(expand(String(v), ctx))}`).join("\n") + "\n" + s.run)
    .join("\n");
  return new Promise(res => {
    const env = { ...process.env, ...wf.env, PREFAULT: wrapper, PREFAULT_SPEC: "unused" };
    const c = spawn("bash", ["-e", "-o", "pipefail", "-c", script], { cwd: repo, env });
    let out = "";
    c.stdout.on("data", d => { out += d; }); c.stderr.on("data", d => { out += d; });
    c.on("close", code => res({ code: code ?? -1, out }));
  });
}

test("the workflow is a matrix of N shard jobs and a merge job, on node24 actions and the Node LTS", () => {
  const wf = parse(classGradingWorkflow({ lesson: LESSON, graderSpec: "prefault@1.2.3", shards: 5 })) as Workflow;
  assert.deepEqual(wf.jobs.grade.strategy!.matrix.shard, [1, 2, 3, 4, 5]);
  assert.equal(wf.jobs.merge.needs, "grade");
  assert.deepEqual(wf.env, { LESSON, SHARDS: "5", PREFAULT_SPEC: "prefault@1.2.3" });
  const uses = Object.values(wf.jobs).flatMap(j => j.steps.map(s => s.uses).filter(Boolean));
  assert.deepEqual([...new Set(uses)].sort(), Object.values(WORKFLOW_ACTIONS).sort());
  for (const j of Object.values(wf.jobs)) {
    assert.equal(j.steps.find(s => s.uses === WORKFLOW_ACTIONS.setupNode)?.with?.["node-version"], WORKFLOW_NODE);
  }
  assert.throws(() => classGradingWorkflow({ lesson: LESSON, graderSpec: "x", shards: 0 }));
});

test("N shard jobs in parallel, merged, give byte for byte the report of one unsharded run: JSON, CSV and HTML", { timeout: 600_000 }, async () => {
  const wf = parse(classGradingWorkflow({ lesson: LESSON, graderSpec: "prefault", shards: SHARDS })) as Workflow;
  const submissions = wf.on.workflow_dispatch.inputs.submissions.default;
  const shards = await Promise.all(wf.jobs.grade.strategy!.matrix.shard.map(k =>
    runJob(wf, wf.jobs.grade, { "matrix.shard": String(k), "inputs.submissions": submissions })));
  for (const s of shards) assert.equal(s.code, 0, s.out);
  // the artifacts: each shard job's upload path, downloaded into parts/ by the merge job
  mkdirSync(join(repo, "parts"));
  for (let k = 1; k <= SHARDS; k++) {
    const upload = wf.jobs.grade.steps.find(s => s.uses === WORKFLOW_ACTIONS.upload)!;
    const path = expand(String(upload.with!.path), { "matrix.shard": String(k) });
    cpSync(join(repo, path), join(repo, "parts", path.split("/").pop()!));
    const part = JSON.parse(readFileSync(join(repo, path), "utf8")) as { shard: string; rows: unknown[] };
    assert.equal(part.shard, `${k}/${SHARDS}`);
    assert.ok(part.rows.length >= 2, "every shard grades a share of the class");
  }
  const merged = await runJob(wf, wf.jobs.merge, {});
  assert.equal(merged.code, 0, merged.out);
  for (const ext of ["json", "csv", "html"]) {
    const whole = join(dir, `whole.${ext}`);
    const r = spawnSync(wrapper, ["grade-all", "--lesson", LESSON, join(repo, submissions), "--jobs", "2", "--out", whole], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const a = readFileSync(join(repo, `class.${ext}`), "utf8"), b = readFileSync(whole, "utf8");
    assert.ok(a === b, `class.${ext} from ${SHARDS} shards differs from one unsharded run`);
  }
  const rows = (JSON.parse(readFileSync(join(repo, "class.json"), "utf8")) as { rows: { student: string }[] }).rows.map(r => r.student);
  assert.deepEqual(rows, readdirSync(join(repo, submissions)).sort());
  // a lost shard fails the merge job instead of reporting part of the class
  rmSync(join(repo, "parts", "part-2.json"));
  const gap = await runJob(wf, wf.jobs.merge, {});
  assert.notEqual(gap.code, 0);
  assert.match(gap.out, /shard 2\/3 is missing/);
});
