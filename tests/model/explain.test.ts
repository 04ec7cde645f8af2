// The step-through of a fault (engine/explain.ts) on real runs: the real asc, the real kernel
// build. Lesson 01's solution and starter, a SIGBUS hole, a WARN, a remote GUP fault, an
// mlockall() populate, and the bounds of the call trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { explainLines, explainStep, faultOfEvent, lacksCallSites, stepIndex, withCallSites, type FaultWalk, type StepWalk } from "../../engine/explain.js";
import { CALLS_PER_HANDLER } from "../../engine/generated/abi.js";
import type { Scenario } from "../../engine/types.js";
import { compile, run, stageSource, ROOT } from "./helpers.js";

/** the learner's line of each kernel call, as `prefault run` and the browser ask for */
const SITES = { callSites: true };
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const scenario = (p: string) => JSON.parse(read(p)) as Scenario;
const FIRST_FAULT = "lessons/01-first-fault/scenarios/first-fault.json";
const HOLE: Scenario = { name: "hole", steps: [{ op: "spawn", task: "app" }, { op: "read", task: "app", pgoff: 1 }] };

// the kernel functions of a walk, outermost first, without the learner's calls
const chain = (f: FaultWalk) => f.nodes.filter(n => n.kind === "call").map(n => n.func);
const learnerCalls = (f: FaultWalk) => f.nodes.filter(n => n.kind === "learner" && n.func);

// the line range [first, last] of vvar_fault() in src (1-based)
function handlerLines(src: string): [number, number] {
  const lines = src.split("\n");
  const first = lines.findIndex(l => l.startsWith("export function vvar_fault")) + 1;
  const last = lines.findIndex((l, i) => i >= first && l.startsWith("}")) + 1;
  return [first, last];
}

// every learner call of the walk points into vvar_fault(), and a call whose name the source
// spells (get_page(...), virt_to_page(...)) points at a line that spells it
function assertLinesInHandler(w: StepWalk, src: string): void {
  const [first, last] = handlerLines(src);
  const lines = src.split("\n");
  for (const f of w.faults) {
    assert.ok(f.lines.length > 0, `no learner line for ${f.title}`);
    for (const n of learnerCalls(f)) {
      assert.ok(n.at, `${n.text} has no line`);
      assert.equal(n.at!.file, "datastore.ts");
      assert.ok(n.at!.line >= first && n.at!.line <= last, `${n.text} at line ${n.at!.line}, outside vvar_fault() ${first}..${last}`);
      if (new RegExp(`\\b${n.func}\\(`).test(src.slice(src.indexOf("export function vvar_fault")))) {
        assert.match(lines[n.at!.line - 1], new RegExp(`\\b${n.func}\\(`), `${n.text}: line ${n.at!.line} is "${lines[n.at!.line - 1]}"`);
      }
    }
  }
}

test("lesson 01's solution: the first clock_gettime() walks do_user_addr_fault .. vvar_fault .. finish_fault to a PTE", async () => {
  const src = read("lessons/01-first-fault/solution/datastore.ts");
  const sc = scenario(FIRST_FAULT);
  const r = run(await compile(src), sc, SITES);
  const w = explainStep(r, 1, sc);
  assert.equal(w.faults.length, 1);
  const f = w.faults[0];
  assert.equal(f.kind, "user");
  assert.equal(f.pgoff, 0);
  assert.deepEqual(chain(f), ["do_user_addr_fault", "handle_mm_fault", "do_read_fault", "__do_fault",
    "special_mapping_fault", "vvar_fault", "finish_fault"]);
  assert.equal(f.nodes[0].kind, "caller");
  assert.match(f.nodes[0].text, /clock_gettime app CLOCK_MONOTONIC: app loads \[vvar\] pgoff 0/);
  const hmf = f.nodes.find(n => n.func === "handle_mm_fault")!;
  assert.match(hmf.text, /flags=FAULT_FLAG_ALLOW_RETRY\|FAULT_FLAG_KILLABLE\|FAULT_FLAG_USER.* = 0$/);
  const handler = f.nodes.find(n => n.func === "vvar_fault")!;
  assert.match(handler.text, /vmf->pgoff=0/);
  // the learner's calls sit under vvar_fault(), with their arguments and return values
  const calls = learnerCalls(f);
  assert.ok(calls.every(n => n.depth === handler.depth + 1));
  assert.ok(calls.some(n => /^get_page\(page=page pfn \d+\)/.test(n.text)), calls.map(n => n.text).join("\n"));
  assert.ok(calls.some(n => /^vmf_set_page\(vmf, page=page pfn \d+\)/.test(n.text)));
  assertLinesInHandler(w, src);
  // the PTE is an event of finish_fault()
  const ff = f.nodes.findIndex(n => n.func === "finish_fault");
  const pte = f.nodes.findIndex(n => n.kind === "event" && n.text.startsWith("PTE:"));
  assert.ok(pte > ff && f.nodes[pte].depth === f.nodes[ff].depth + 1);
  assert.equal(f.result, "[vvar] pgoff 0 (time data) maps time data");
  // the timeline's fault event leads to this fault
  assert.equal(r.trace[f.event!].kind, "fault");
  assert.equal(faultOfEvent(w, f.event!), 0);
  // later steps find the PTE: no fault
  const later = explainStep(r, 2, sc);
  assert.equal(later.faults.length, 0);
  assert.match(later.notes.join("\n"), /no page fault in this step/);
  // deterministic: the same run, the same walk
  assert.deepEqual(explainStep(run(await compile(src), sc, SITES), 1, sc), w);
});

test("lesson 01's starter: pgoff 0 is a SIGBUS, do_user_addr_fault -> do_sigbus, no finish_fault", async () => {
  const src = read("lessons/01-first-fault/starter/datastore.ts");
  const sc = scenario(FIRST_FAULT);
  const r = run(await compile(src), sc, SITES);
  const w = explainStep(r, 1, sc);
  assert.equal(w.faults.length, 1);
  const f = w.faults[0];
  assert.ok(!chain(f).includes("finish_fault"));
  assert.match(f.nodes.find(n => n.func === "vvar_fault")!.text, /= VM_FAULT_SIGBUS {3}<- your handler$/);
  assert.match(f.nodes.find(n => n.func === "do_user_addr_fault")!.text, /= VM_FAULT_SIGBUS$/);
  assert.match(f.result, /^SIGBUS to app for \[vvar\] pgoff 0 \(mm_fault_error\(\) -> do_sigbus\(\)/);
  assertLinesInHandler(w, src);
  // the killed task's later steps: not run, and said so
  assert.match(explainStep(r, 2, sc).notes[0], /^not run: app was killed by SIGBUS at step 1/);
});

test("a SIGBUS hole (stage p2, pgoff 1 in the root namespace) and its lines in the stage's source", async () => {
  const src = stageSource("p2");
  const r = run(await compile(src), HOLE, SITES);
  const w = explainStep(r, 1, HOLE);
  const f = w.faults[0];
  assert.equal(f.pgoff, 1);
  assert.match(f.result, /^SIGBUS to app for \[vvar\] pgoff 1/);
  assert.ok(f.nodes.some(n => n.bad && /^SIGBUS/.test(n.text)));
  assertLinesInHandler(w, src);
});

test("a WARN: ZERO_PAGE through vmf->page warns in finish_fault, at include/linux/rmap.h:216", async () => {
  const src = read("lessons/04-no-holes/mutants/zero-page.ts");
  const r = run(await compile(src), HOLE, SITES);
  const f = explainStep(r, 1, HOLE).faults[0];
  const ff = f.nodes.findIndex(n => n.func === "finish_fault");
  const warn = f.nodes.findIndex(n => n.text.startsWith("WARN"));
  assert.ok(warn > ff && f.nodes[warn].depth === f.nodes[ff].depth + 1, f.nodes.map(n => n.text).join("\n"));
  assert.match(f.nodes[warn].text, /^WARN at include\/linux\/rmap\.h:216 __folio_rmap_sanity_checks\+0x1b0\/0x2c0: ZERO_PAGE returned through vmf->page$/);
  assert.match(f.nodes[ff].text, /vmf->page=ZERO_PAGE/);
  assert.ok(learnerCalls(f).some(n => /^zero_page\(vaddr=0x[0-9a-f]+\) = ZERO_PAGE/.test(n.text)));
  assert.match(f.result, /maps ZERO_PAGE; WARN at include\/linux\/rmap\.h:216/);
});

test("a remote GUP fault: access_remote_vm -> get_user_pages_remote -> __get_user_pages -> faultin_page, refused", async () => {
  const sc = scenario("scenarios/04-remote-read.json");
  const r = run(await compile(stageSource("p6")), sc, SITES);
  const w = explainStep(r, 2, sc);
  assert.equal(w.faults.length, 1);
  const f = w.faults[0];
  assert.equal(f.kind, "gup");
  assert.deepEqual(chain(f).slice(0, 6), ["access_remote_vm", "get_user_pages_remote", "__get_user_pages", "faultin_page",
    "handle_mm_fault", "do_read_fault"]);
  assert.match(f.nodes.find(n => n.func === "handle_mm_fault")!.text, /FAULT_FLAG_REMOTE/);
  assert.match(f.nodes.find(n => n.func === "__get_user_pages")!.text, /FOLL_REMOTE/);
  assert.match(f.title, /target \(for debugger\), \[vvar\] pgoff 0/);
  assert.match(f.nodes[0].text, /get_user_pages_remote\(\) walks target's \[vvar\] for debugger/);
  assert.equal(f.result, "faultin_page() = -EFAULT: get_user_pages stops at this page");
  assert.equal(r.trace[f.event!].kind, "gup_fault");
  // once the target has the page, the remote read faults nothing: its calls are the "other" part
  const ok = explainStep(r, 4, sc);
  assert.equal(ok.faults.length, 0);
  assert.match(ok.other[0].text, /^access_remote_vm\(mm, addr=0x[0-9a-f]+, buf, len, gup_flags=FOLL_FORCE\) = 8$/);
});

test("mlockall() populates every page: four GUP faults under __mm_populate; before the series it skips VM_IO", async () => {
  const sc = scenario("scenarios/02-mlockall.json");
  const r = run(await compile(stageSource("p6")), sc, SITES);
  const w = explainStep(r, 1, sc);
  assert.deepEqual(w.faults.map(f => f.pgoff), [0, 1, 2, 3]);
  for (const f of w.faults) {
    assert.equal(f.kind, "gup");
    assert.deepEqual(chain(f).slice(0, 5), ["__mm_populate", "populate_vma_page_range", "__get_user_pages", "faultin_page", "handle_mm_fault"]);
    assert.match(f.result, /^\[vvar\] pgoff \d \([a-z0-9 ]+\) maps /);
  }
  const pre = run(await compile(stageSource("pre")), sc, SITES);
  const pw = explainStep(pre, 1, sc);
  assert.equal(pw.faults.length, 0);
  assert.match(pw.other.map(n => n.text).join("\n"), /^__mm_populate\(start=0x0, .*\) = 0\n {0}.*populate skipped \(VM_IO\|VM_PFNMAP\)/m);
});

test("the call trace is bounded: a handler's calls past CALLS_PER_HANDLER are counted, not kept", async () => {
  const src = stageSource("p6").replace("export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {",
    "export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {\n  let s: u64 = 0; for (let i = 0; i < 1000; i++) s += vmf.pgoff; if (s == 12345) return 0;");
  assert.notEqual(src, stageSource("p6"));
  const sc = scenario(FIRST_FAULT);
  const r = run(await compile(src), sc, SITES);
  const f = explainStep(r, 1, sc).faults[0];
  const kept = learnerCalls(f).length;
  assert.equal(kept, CALLS_PER_HANDLER);
  const more = f.nodes.find(n => /^\.\.\. and \d+ more kernel calls, not recorded$/.test(n.text));
  assert.ok(more, f.nodes.map(n => n.text).join("\n"));
  const skipped = r.calls!.find(c => c.func === "vvar_fault")!.skipped!;
  assert.ok(skipped > 1000 - CALLS_PER_HANDLER);
  assert.ok(chain(f).includes("finish_fault"), "the kernel's own calls are kept after the handler's cap");
});

test("an oops in the handler: the calls it unwound through did not return, and the Oops says where", async () => {
  const src = stageSource("p6").replace("export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {",
    "export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {\n  get_page(changetype<page>(<usize>0x0dead));");
  const r = run(await compile(src), scenario(FIRST_FAULT), SITES);
  assert.equal(r.status, "oops");
  const f = explainStep(r, 1).faults[0];
  assert.ok(f.nodes.find(n => n.func === "vvar_fault")!.unfinished);
  const gp = learnerCalls(f).find(n => n.func === "get_page")!;
  assert.match(gp.text, /^get_page\(page=0xdead\) \(did not return\)/);
  assert.equal(gp.at?.line, handlerLines(src)[0] + 1);
  assert.match(f.result, /^Oops: get_page: not a struct page pointer/);
});

test("an abort or an endless loop in the handler: the walk ends in the Oops or the soft lockup, not in 'no PTE was made'", async () => {
  const head = "export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {";
  const aborting = stageSource("p6").replace(head, `${head}\n  if (vmf.pgoff < 1000) abort("gave up");`);
  const a = run(await compile(aborting), scenario(FIRST_FAULT), SITES);
  assert.equal(a.status, "oops");
  const fa = explainStep(a, 1).faults[0];
  const stop = fa.nodes[fa.nodes.length - 1];
  assert.equal(stop.kind, "event");
  assert.ok(stop.bad);
  assert.match(stop.text, /^Oops: abort: gave up/);
  // one level below the handler, the deepest call that did not return
  assert.equal(stop.depth, fa.nodes.find(n => n.func === "vvar_fault")!.depth + 1);
  assert.match(fa.result, /^Oops: abort: gave up/);
  const spinning = stageSource("p6").replace(head, `${head}\n  while (vmf.pgoff < 1000) {}`);
  const h = run(await compile(spinning), scenario(FIRST_FAULT), SITES);
  assert.equal(h.status, "timeout");
  const fh = explainStep(h, 1).faults[0];
  assert.match(fh.result, /^soft lockup: /);
  assert.equal(fh.nodes.filter(n => n.kind === "event" && n.bad).length, 1);
  // a step the run did not reach has no walk to end
  assert.deepEqual(explainStep(h, 2).faults, []);
});

test("stepIndex: STEP is an index the scenario has; explainLines indents each node under its fault", async () => {
  assert.deepEqual(stepIndex(3, "s", "2"), { ok: true, step: 2 });
  const bad = stepIndex(3, "s", "3");
  assert.ok(!bad.ok && /s has 3 steps, 0\.\.2/.test(bad.message));
  const nan = stepIndex(3, "s", "-1");
  assert.ok(!nan.ok && /step index/.test(nan.message));
  const sc = scenario(FIRST_FAULT);
  const r = run(await compile(stageSource("p6")), sc, SITES);
  const w = explainStep(r, 1, sc);
  const lines = explainLines(w);
  assert.equal(lines[0], "step 1: clock_gettime app CLOCK_MONOTONIC");
  assert.equal(lines[1], w.faults[0].title);
  w.faults[0].nodes.forEach((n, i) => assert.equal(lines[2 + i], `  ${"  ".repeat(n.depth)}${n.text}`));
  assert.equal(lines[2 + w.faults[0].nodes.length], `  => ${w.faults[0].result}`);
  assert.throws(() => explainStep(r, 99), RangeError);
});

test("without callSites (grading) the calls are recorded the same, without the learner's lines", async () => {
  const sc = scenario(FIRST_FAULT);
  const l = await compile(stageSource("p6"));
  const graded = run(l, sc), shown = run(l, sc, SITES);
  assert.ok(graded.calls!.length > 0);
  assert.ok(graded.calls!.every(c => c.at === undefined));
  assert.deepEqual(graded.calls, shown.calls!.map(({ at: _at, ...c }) => c));
  assert.ok(shown.calls!.some(c => c.at));
  assert.deepEqual({ ...graded, calls: [] }, { ...shown, calls: [] });
});

test("withCallSites: a run graded without call sites takes the lines of the same run made with them; another run's are refused", async () => {
  const sc = scenario(FIRST_FAULT);
  const l = await compile(stageSource("p6"));
  const graded = run(l, sc), shown = run(l, sc, SITES);
  assert.equal(lacksCallSites(graded), true);
  assert.equal(lacksCallSites(shown), false);
  assert.deepEqual(withCallSites(graded, shown), shown, "the graded run with the lines: the run made with call sites");
  assert.deepEqual(explainStep(withCallSites(graded, shown)!, 1, sc), explainStep(shown, 1, sc));
  // another scenario, or a run whose calls differ, gives no lines
  const other = run(l, { ...sc, name: "other" }, SITES);
  assert.equal(withCallSites(graded, other), undefined);
  assert.equal(withCallSites(graded, { ...shown, calls: shown.calls!.slice(1) }), undefined);
  assert.equal(withCallSites(graded, { ...shown, calls: shown.calls!.map((c, i) => i === 0 ? { ...c, func: "virt_to_page" } : c) }), undefined);
  // a run that made no call has nothing to add
  assert.equal(lacksCallSites({ ...graded, calls: [] }), false);
  // a run kept without its traces (storage's limit) gets both back from the run made again
  const kept = { ...graded, trace: [], trace_dropped: (graded.trace_dropped ?? 0) + graded.trace.length,
                 calls: [], calls_dropped: (graded.calls_dropped ?? 0) + graded.calls!.length };
  assert.equal(lacksCallSites(kept), true);
  assert.deepEqual(withCallSites(kept, shown), shown);
  assert.deepEqual(explainStep(withCallSites(kept, shown)!, 1, sc), explainStep(shown, 1, sc));
  assert.equal(withCallSites(kept, { ...shown, steps: shown.steps.slice(1) }), undefined, "another run's steps: refused");
  // the same calls with other steps (another module, other costs) are refused too
  const otherSteps = { ...shown, steps: shown.steps.map((st, i) => i === 1 ? { ...st, ret: (st.ret ?? 0) + 1 } : st) };
  assert.equal(withCallSites(graded, otherSteps), undefined, "other steps: refused");
  // a run with no kernel call kept (there is none to keep) but its trace trimmed is run again for the trace
  const keptTrace = { ...graded, trace: [], trace_dropped: (graded.trace_dropped ?? 0) + graded.trace.length, calls: [], calls_dropped: 0 };
  assert.equal(lacksCallSites(keptTrace), true);
  assert.deepEqual(withCallSites(keptTrace, shown)?.trace, shown.trace);
});
