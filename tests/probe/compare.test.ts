// tests/probe/compare.test.ts: recorded probe output through the comparison with the real model
// (real asc, real kernel build, the worker runner): the record of a real Linux 6.18 x86_64
// (fixtures/linux-6.18-x86_64.jsonl, from `prefault probe --raw` on the development machine)
// agrees with stage v6.18 on every row; a hand-made post-series record (built from the truth
// table's POST column, fixtures/post-series-example.jsonl) agrees with p6; each differs from the
// other era's stage; skipped, missing and unknown observations are reported, never dropped.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareProbe, formatProbeReport, stageOfRecord, type ProbeReport } from "../../engine/probe/compare.js";
import { eraOfVmFlags, parseProbeOutput, type ProbeRecord } from "../../engine/probe/record.js";
import { runModel } from "../../cli/commands/probe.js";
import { closeSharedRunner } from "../../cli/node-runner.js";

after(() => closeSharedRunner());

const FIX = join(fileURLToPath(new URL("../../../", import.meta.url)), "tests", "probe", "fixtures");
const text = (name: string) => readFileSync(join(FIX, name), "utf8");

function record(t: string): ProbeRecord {
  const p = parseProbeOutput(t);
  assert.ok(p.ok, !p.ok ? p.message : "");
  return p.record;
}

async function compare(rec: ProbeRecord, stage: string): Promise<ProbeReport> {
  const m = await runModel(rec, stage);
  assert.ok(m.ok, !m.ok ? m.message : "");
  return compareProbe(rec, stage, false, m.results);
}

const statusOf = (rep: ProbeReport, id: string) => rep.rows.find(r => r.id === id)?.status;
const rowsWith = (rep: ProbeReport, s: string) => rep.rows.filter(r => r.status === s).map(r => r.id);

test("probe output: parse errors name the line; the era comes from [vvar]'s VmFlags", () => {
  assert.match((parseProbeOutput("{\"type\":\"header\",\"release\":\"x\",\"machine\":\"x86_64\",\"vvar_pages\":4}\nnot json\n") as { message: string }).message, /^line 2: not JSON/);
  assert.match((parseProbeOutput("{\"type\":\"observation\",\"id\":\"a\",\"status\":\"ok\"}\n") as { message: string }).message, /^line 1: an observation before the header/);
  assert.match((parseProbeOutput("") as { message: string }).message, /no header line/);
  assert.equal(eraOfVmFlags("rd mr pf io de dd"), "v6.18");
  assert.equal(eraOfVmFlags("rd mr io de dd mm sl"), "pre");
  assert.equal(eraOfVmFlags("rd mr de dd mm"), "merged");
  assert.equal(eraOfVmFlags(""), null);
});

test("the recorded Linux 6.18 x86_64 agrees with stage v6.18 on every observation", async () => {
  const rec = record(text("linux-6.18-x86_64.jsonl"));
  assert.equal(stageOfRecord(rec), "v6.18");
  const rep = await compare(rec, "v6.18");
  assert.deepEqual(rowsWith(rep, "differ"), []);
  assert.deepEqual(rowsWith(rep, "error"), []);
  assert.deepEqual(rowsWith(rep, "missing"), []);
  assert.ok(rep.ok);
  assert.ok(rep.summary.agree >= 55, `only ${rep.summary.agree} rows agree`);
  // what a learner sees of the PFNMAP era: VmFlags with pf, Rss 0 kB after a fault
  const flags = rep.rows.find(r => r.id === "smaps.vm_flags")!;
  assert.deepEqual(flags.model_facts, [["VmFlags", "rd mr pf io de dd"], ["Rss", "0 kB"], ["Locked", "0 kB"]]);
  assert.deepEqual(rep.rows.find(r => r.id === "smaps.after_first_call")!.model_facts,
    [["first call", "+1"], ["Rss", "0 kB"], ["Locked", "0 kB"]]);
  assert.equal(rep.fault_cost_ns, 3267);
  const table = formatProbeReport(rep).join("\n");
  assert.match(table, /^kernel: Linux 6\.18\.44-fc-v1045 {3}architecture: x86_64 {3}glibc: 2\.36$/m);
  assert.match(table, /^read\.pgoff\.1 +first sigbus +first sigbus +agree$/m);
});

test("the 6.18 record differs from stage pre (VM_MIXEDMAP, struct pages): flags and Rss tell the eras apart", async () => {
  const rep = await compare(record(text("linux-6.18-x86_64.jsonl")), "pre");
  const differ = rowsWith(rep, "differ");
  assert.ok(differ.includes("smaps.vm_flags") && differ.includes("smaps.after_first_call"), differ.join(", "));
  assert.equal(statusOf(rep, "read.pgoff.1"), "agree");          // the behaviour is the same
  assert.equal(rep.ok, false);
});

test("a hand-made post-series record agrees with p6 and differs from v6.18 where the series changed things", async () => {
  const rec = record(text("post-series-example.jsonl"));
  assert.equal(stageOfRecord(rec), "p6");
  const rep = await compare(rec, "p6");
  assert.deepEqual(rowsWith(rep, "differ"), []);
  assert.ok(rep.ok);
  const old = await compare(rec, "v6.18");
  const differ = new Set(rowsWith(old, "differ"));
  for (const id of ["mlockall.current_future", "mlockall.current_onfault", "mlock", "madvise.populate_read",
                    "read.pgoff.1", "read.pgoff.3", "remote.proc_mem.populated", "remote.ptrace_peekdata.populated", "timens.child_mlockall"]) {
    assert.ok(differ.has(id), `${id} should differ from v6.18`);
  }
  for (const id of ["remote.proc_mem.untouched", "vfork_exec", "timens.child_first_call"]) assert.equal(statusOf(old, id), "agree", id);
});

test("a changed observation differs; skipped ones keep their reason; a missing one and a cut-off run fail", async () => {
  const lines = text("linux-6.18-x86_64.jsonl").trimEnd().split("\n").map(l => JSON.parse(l) as Record<string, unknown>);
  const edit = lines.map(o => {
    if (o.id === "read.pgoff.1") return { ...o, outcome: "mapped", minflt: 1, page: "zero", second: "present" };
    if (typeof o.id === "string" && o.id.startsWith("timens.")) return { type: "observation", id: o.id, status: "skipped", reason: "needs CAP_SYS_ADMIN" };
    return o;
  }).filter(o => o.id !== "vdso.time");
  edit.push({ type: "observation", id: "future.thing", status: "ok" });
  const rep = await compare(record(edit.map(o => JSON.stringify(o)).join("\n")), "v6.18");
  assert.equal(statusOf(rep, "read.pgoff.1"), "differ");
  const skipped = rep.rows.filter(r => r.status === "skipped");
  assert.equal(skipped.length, 12);
  assert.ok(skipped.every(r => r.reason === "needs CAP_SYS_ADMIN" && r.kernel === "skipped: needs CAP_SYS_ADMIN"));
  assert.ok(skipped.every(r => r.model !== ""), "the model still says what it predicts");
  assert.equal(statusOf(rep, "vdso.time"), "missing");
  assert.equal(statusOf(rep, "future.thing"), "info");
  assert.equal(rep.ok, false);

  // only skips: still ok; without the end line: not ok
  const skipsOnly = lines.map(o => typeof o.id === "string" && o.id.startsWith("timens.")
    ? { type: "observation", id: o.id, status: "skipped", reason: "needs CAP_SYS_ADMIN" } : o);
  assert.ok((await compare(record(skipsOnly.map(o => JSON.stringify(o)).join("\n")), "v6.18")).ok);
  const cut = skipsOnly.filter(o => o.type !== "end");
  assert.equal((await compare(record(cut.map(o => JSON.stringify(o)).join("\n")), "v6.18")).ok, false);
});
