// tests/hardening/helpers.ts: submissions built around one handler body, graded for real
// (real asc, the real kernel build, the real runner and grading pool).

import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report } from "../../engine/types.js";
import { GradePool, type PoolOptions } from "../../cli/commands/grade-all.js";

export const ROOT = new URL("../../../", import.meta.url).pathname;
/** The lesson the hardening tests grade against (5 scenarios, 7 checks). */
export const LESSON = "01-first-fault";

let lessons: string | undefined;

/** A private copy of the lessons folder holding LESSON, made once per test process, so that a
 *  lesson being edited while the tests run cannot change results between two gradings. */
export function lessonsDir(): string {
  if (!lessons) {
    lessons = mkdtempSync(join(tmpdir(), "prefault-lessons-"));
    cpSync(join(ROOT, "lessons", LESSON), join(lessons, LESSON), { recursive: true });
  }
  return lessons;
}

export function lessonFile(rel: string): string {
  return readFileSync(join(lessonsDir(), LESSON, rel), "utf8");
}

/** The lesson's reference datastore.ts. */
export function solution(): string { return lessonFile("solution/datastore.ts"); }

const INSTALL = `
export function vdso_install_vvar_mapping(mm: mm_struct, addr: u64): vm_area_struct {
  return _install_special_mapping(mm, addr, VDSO_NR_PAGES * PAGE_SIZE,
    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_MIXEDMAP | VM_SEALED_SYSMAP, vdso_vvar_mapping);
}
`;

/** A datastore.ts whose vvar_fault() has `body`, with `prelude` (imports, helpers) before it and
 *  the lesson's install function after it. Everything of the kernel API is imported. */
export function submission(body: string, prelude = ""): string {
  return `import {
  vm_fault_t, vm_fault, vm_area_struct, vm_special_mapping, mm_struct, page,
  VM_FAULT_SIGBUS, VM_FAULT_OOM, VM_FAULT_NOPAGE, VM_FAULT_SIGSEGV, VM_FAULT_RETRY, VM_FAULT_ERROR,
  PAGE_SIZE, IS_ENABLED, CONFIG_GENERIC_GETTIMEOFDAY, CONFIG_TIME_NS, CONFIG_VDSO_GETRANDOM,
  VDSO_TIME_PAGE_OFFSET, VDSO_TIMENS_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET, VDSO_NR_PAGES,
  FAULT_FLAG_REMOTE, FAULT_FLAG_WRITE, FAULT_FLAG_USER,
  VM_READ, VM_MAYREAD, VM_IO, VM_DONTDUMP, VM_MIXEDMAP, VM_SEALED_SYSMAP, VM_PFNMAP, VM_LOCKED,
  vdso_k_time_data, vdso_k_rng_data, vdso_data_pages, vdso_vvar_mapping,
  virt_to_page, pfn_to_page, page_to_pfn, ZERO_PAGE, get_page, put_page, find_timens_vvar_page,
  vmf_insert_page, vmf_insert_pfn, vmf_insert_mixed, _install_special_mapping, pr_info_value,
} from "./kernel";
${prelude}
export function vvar_fault(sm: vm_special_mapping, vma: vm_area_struct, vmf: vm_fault): vm_fault_t {
${body}
}
${INSTALL}`;
}

/** A grading pool on LESSON with short deadlines (a runaway handler costs little). */
export function pool(o: Partial<PoolOptions> = {}): GradePool {
  return new GradePool({ lesson: LESSON, lessonsDir: lessonsDir(), jobs: 1, deadlineMs: 1000, ...o });
}

/** Every message of the report, joined (what a student or teacher could read). */
export function allText(r: Report): string {
  return [...r.tests.map(t => t.message), ...r.errors.map(e => e.message)].join("\n");
}

/** Asserts the invariants every report must hold, whatever the submission. Returns problems. */
export function reportProblems(r: Report): string[] {
  const p: string[] = [];
  if (!["pass", "fail", "error"].includes(r.status)) p.push(`status ${r.status}`);
  if (!(r.score >= 0 && r.score <= r.max_score)) p.push(`score ${r.score}/${r.max_score}`);
  const sum = r.tests.reduce((s, t) => s + t.score, 0);
  if (Math.abs(sum - r.score) > 1e-9) p.push(`tests sum to ${sum}, score is ${r.score}`);
  for (const t of r.tests) {
    if (!["pass", "fail", "error"].includes(t.status)) p.push(`${t.id}: status ${t.status}`);
    if (t.status === "pass" ? t.score !== t.max_score : t.score !== 0) p.push(`${t.id}: ${t.status} with ${t.score}/${t.max_score}`);
  }
  if (r.status === "pass" && r.tests.some(t => t.status !== "pass")) p.push("pass with a failed check");
  return p;
}
