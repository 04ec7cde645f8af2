// tests/model/kernel-rules.test.ts: the rules the kernel enforces on a fault handler
// (docs/kernel-facts.md §4.6), each shown with a datastore that breaks it. Mapping the wrong page is
// not a crash: it shows up as a wrong page kind or wrong time.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Scenario, Step } from "../../engine/types.js";
import { compile, run, variant, failures } from "./helpers.js";

const sc = (name: string, steps: Step[], config?: Scenario["config"]): Scenario => ({ name, steps, ...(config ? { config } : {}) });
const NS: Step = { op: "unshare_timens", task: "a", ns: "t", monotonic_offset_s: 3600 };

test("ZERO_PAGE returned through vmf->page is the rmap WARN the kernel test robot hit in v2", async () => {
  // v2 of the series: unavailable data maps ZERO_PAGE(0) instead of the datastore's zero slot
  const src = variant("p6", [
    ["    case VDSO_TIMENS_PAGE_OFFSET: {\n      if (IS_ENABLED(CONFIG_TIME_NS) && timens_page) pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;",
     "    case VDSO_TIMENS_PAGE_OFFSET: {\n      if (IS_ENABLED(CONFIG_TIME_NS) && timens_page) pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;\n      else pg = ZERO_PAGE(0);"],
    ["vdso_data_pages, vdso_vvar_mapping,", "vdso_data_pages, vdso_vvar_mapping, ZERO_PAGE,"]]);
  const r = run(await compile(src), sc("zero-page", [
    { op: "spawn", task: "a" },
    // the rmap WARN when finish_fault() maps it, and (debug kernel) vm_normal_page()'s WARN_ONCE
    // when GUP then follows the normal PTE to the zero page
    { op: "mlockall", task: "a", flags: ["MCL_CURRENT", "MCL_FUTURE"], expect: { ret: 0, warns: 2, handler_calls: 4 } },
    { op: "read", task: "a", pgoff: 1, expect: { faults: 0, page: "zero_page", warns: 0 } },
    // teardown (exec drops the old mm): the rmap WARN again as the zero page is unmapped
    { op: "exec", task: "a", expect: { warns: 1 } },
  ]));
  assert.ok(r.ok, failures(r));
  assert.ok(r.dmesg.some(l => /WARNING: CPU: 0 PID: 1 at include\/linux\/rmap.h:\d+ __folio_rmap_sanity_checks/.test(l)), r.dmesg.join("\n"));
  assert.equal(r.dmesg.filter(l => /WARNING: .* vm_normal_page\+/.test(l)).length, 1, "vm_normal_page() warns once");
  assert.equal(r.dmesg.filter(l => /WARNING: .* __folio_rmap_sanity_checks\+/.test(l)).length, 2, "map and unmap");
  assert.equal(r.tasks.a.counters.warns, 3);
});

test("a remote fault without the P4 check reaches find_timens_vvar_page(): WARN, and the wrong page is mapped", async () => {
  // p5 without patch 4's check: VM_IO is gone, so GUP reaches the handler for a remote read
  const src = variant("p6", [["  if (vmf.flags & FAULT_FLAG_REMOTE) return VM_FAULT_SIGBUS;\n", ""],
                             ["PAGE_SIZE, FAULT_FLAG_REMOTE,", "PAGE_SIZE,"]]);
  const r = run(await compile(src), sc("remote-warn", [
    { op: "spawn", task: "a" }, NS, { op: "fork", task: "a", child: "b" }, { op: "spawn", task: "r" },
    { op: "remote_read", task: "r", target: "b", pgoff: 0, via: "proc_mem",
      expect: { warns: 1, errno: null, page: "time", handler_calls: 1, gup_faults: 1 } },
    // b now has the host's time data at pgoff 0: no fault, and the namespace offset is missing
    { op: "clock_gettime", task: "b", clock: "CLOCK_MONOTONIC", expect: { faults: 0, correct: false } },
  ]));
  assert.ok(r.ok, failures(r));
  assert.ok(r.dmesg.includes(r.dmesg.find(l => l.endsWith("vvar_page accessed remotely"))!), r.dmesg.join("\n"));
  assert.ok(r.dmesg.some(l => /WARNING: .* at kernel\/time\/namespace_vdso.c:\d+ find_timens_vvar_page/.test(l)));
  assert.equal(r.tasks.r.counters.warns, 1, "the WARN is charged to the task doing the remote access");
  assert.equal(r.tasks.b.vvar[0].page, "time");
});

test("vmf_insert_pfn() of a struct-page pfn into a VM_MIXEDMAP VMA is a BUG", async () => {
  const src = variant("p6", [["  get_page(pg);\n  vmf.page = pg;\n  return 0;",
                              "  return vmf_insert_pfn(vma, vmf.address, page_to_pfn(pg));"],
                             ["vdso_data_pages, vdso_vvar_mapping,", "vdso_data_pages, vdso_vvar_mapping, vmf_insert_pfn, page_to_pfn,"]]);
  const r = run(await compile(src), sc("pfn-bug", [
    { op: "spawn", task: "a" }, { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", expect: { bugs: 1 } },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC" }]));
  assert.equal(r.status, "oops");
  assert.equal(r.oops?.step, 1);
  assert.match(r.oops!.message, /vmf_insert_pfn_prot: .*struct page.*VM_MIXEDMAP/);
  assert.equal(r.oops?.file, "datastore.ts", "the BUG is reported at the learner's call");
  assert.ok(r.dmesg.some(l => /kernel BUG at mm\/memory.c:\d+!/.test(l)));
  assert.equal(r.steps[1].deltas.bugs, 1);
  assert.equal(r.steps[2].ran, false);
});

test("returning 0 without vmf->page is a NULL pointer dereference oops", async () => {
  const src = variant("p6", [["  get_page(pg);\n  vmf.page = pg;\n  return 0;", "  return 0;"]]);
  const r = run(await compile(src), sc("null-page", [{ op: "spawn", task: "a" }, { op: "read", task: "a", pgoff: 0 }]));
  assert.equal(r.status, "oops");
  assert.match(r.oops!.message, /__do_fault: vvar_fault\(\) returned 0 without setting vmf->page/);
  assert.ok(r.dmesg.some(l => l.includes("BUG: kernel NULL pointer dereference")));
});

test("a page returned without get_page() underflows its refcount when zapped: Bad page state", async () => {
  const src = variant("p6", [["  get_page(pg);\n  vmf.page = pg;", "  vmf.page = pg;"]]);
  const r = run(await compile(src), sc("no-get-page", [
    { op: "spawn", task: "a" },
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", expect: { faults: 1, bugs: 0, correct: true } },
    { op: "exec", task: "a", expect: { bugs: 1 } },
    // the time page now has refcount 0: Linux maps it again without a word; the model notes it
    { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC", expect: { faults: 1, warns: 0 } },
  ]));
  assert.ok(r.ok, failures(r));
  assert.ok(r.dmesg.some(l => /\] prefault: vvar_fault\(\) returned through vmf->page a page with refcount 0/.test(l)), r.dmesg.join("\n"));
  assert.ok(r.dmesg.some(l => /BUG: Bad page state in process prefault-1 +pfn:/.test(l)), r.dmesg.join("\n"));
});

test("VM_FAULT_NOPAGE with nothing mapped would refault for ever: stopped and reported", async () => {
  const src = variant("p6", [["  get_page(pg);\n  vmf.page = pg;\n  return 0;", "  return VM_FAULT_NOPAGE;"],
                             ["VM_FAULT_SIGBUS, VM_FAULT_ERROR,", "VM_FAULT_SIGBUS, VM_FAULT_ERROR, VM_FAULT_NOPAGE,"]]);
  const l = await compile(src);
  const user = run(l, sc("nopage-user", [{ op: "spawn", task: "a" }, { op: "clock_gettime", task: "a", clock: "CLOCK_MONOTONIC" }]));
  assert.equal(user.status, "oops");
  assert.match(user.oops!.message, /VM_FAULT_NOPAGE without mapping the page: the task would fault on it for ever/);
  assert.equal(user.steps[1].deltas.faults, 8);
  const gup = run(l, sc("nopage-gup", [{ op: "spawn", task: "a" }, { op: "mlockall", task: "a", flags: ["MCL_CURRENT"] }]));
  assert.equal(gup.status, "oops");
  assert.match(gup.oops!.message, /get_user_pages would retry for ever/);
});

test("vmf_insert_page()'s -EBUSY (pgoff 1 already mapped) counts as success", async () => {
  const src = variant("p6", []);
  const r = run(await compile(src), sc("ebusy", [
    { op: "spawn", task: "a" }, NS, { op: "fork", task: "a", child: "b" },
    { op: "read", task: "b", pgoff: 1, expect: { faults: 1, page: "time" } },
    { op: "clock_gettime", task: "b", clock: "CLOCK_MONOTONIC", expect: { faults: 1, handler_calls: 1, warns: 0, correct: true } },
    { op: "read", task: "b", pgoff: 0, expect: { faults: 0, page: "timens" } },
  ]));
  assert.ok(r.ok, failures(r));
});

test("a page with refcount 0 handed back through vmf->page maps without a WARN, as in Linux, and the model says so", async () => {
  // vdso_data_pages + 40 is a struct page the allocator never handed out
  const src = variant("p6", [["  get_page(pg);\n  vmf.page = pg;", "  if (vmf.pgoff == VDSO_RNG_PAGE_OFFSET) pg = vdso_data_pages + 40;\n  else get_page(pg);\n  vmf.page = pg;"]]);
  const r = run(await compile(src), sc("free-page", [
    { op: "spawn", task: "a" }, { op: "read", task: "a", pgoff: 2, expect: { warns: 0, bugs: 0, page: "other" } },
    // zapping it takes its refcount below zero without a word (folios_put_refs() checks nothing)
    { op: "exec", task: "a", expect: { warns: 0, bugs: 0 } }]));
  assert.ok(r.ok, failures(r));
  assert.ok(r.dmesg.some(l => /\] prefault: vvar_fault\(\) returned through vmf->page a page with refcount 0 .*Linux would map it without a word/.test(l)), r.dmesg.join("\n"));
  assert.ok(!r.dmesg.some(l => l.includes("__folio_rmap_sanity_checks")), r.dmesg.join("\n"));
});

test("get_page() on a page with refcount 0 is the debug kernel's VM_BUG_ON_FOLIO: an oops", async () => {
  const src = variant("p6", [["  get_page(pg);\n  vmf.page = pg;", "  if (vmf.pgoff == VDSO_RNG_PAGE_OFFSET) pg = vdso_data_pages + 40;\n  get_page(pg);\n  vmf.page = pg;"]]);
  const r = run(await compile(src), sc("get-free-page", [
    { op: "spawn", task: "a" }, { op: "read", task: "a", pgoff: 2 }]));
  assert.equal(r.status, "oops");
  assert.equal(r.oops?.step, 1);
  assert.match(r.oops!.message, /get_page\(\) on a page with refcount 0/);
  assert.ok(r.dmesg.some(l => l.includes("VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio))")), r.dmesg.join("\n"));
  assert.ok(r.dmesg.some(l => /kernel BUG at include\/linux\/mm.h:\d+!/.test(l)), r.dmesg.join("\n"));
  assert.equal(r.steps[1].deltas.bugs, 1);
});

test("a time namespace page mapped at pgoff 0 but real data missing at pgoff 1 falls back to the syscall", async () => {
  // the namespace page at pgoff 0 sends the vDSO to pgoff 1; a zero slot there says clock_mode NONE
  const src = variant("p6", [["      if (IS_ENABLED(CONFIG_TIME_NS) && timens_page) pg = vdso_data_pages + VDSO_TIME_PAGE_OFFSET;\n", ""],
    ["      const err = vmf_insert_page(vma, vmf.address + VDSO_TIMENS_PAGE_OFFSET * PAGE_SIZE,\n                                  vdso_data_pages + VDSO_TIME_PAGE_OFFSET);\n      if (err & VM_FAULT_ERROR) return err;\n", ""]]);
  const r = run(await compile(src), sc("no-real-data", [
    { op: "spawn", task: "a" }, NS, { op: "fork", task: "a", child: "b" },
    { op: "clock_gettime", task: "b", clock: "CLOCK_MONOTONIC", repeat: 10,
      expect: { faults: 2, syscall_fallbacks: 10, correct: true } },
    { op: "clock_gettime", task: "b", clock: "CLOCK_MONOTONIC_COARSE", expect: { correct: false } },
  ]));
  assert.ok(r.ok, failures(r));
  assert.ok(r.steps[3].latency_ns!.max > 250);
});
