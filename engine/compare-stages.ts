// engine/compare-stages.ts: the Linux stages a learner can compare a handler with
// (stages/<name>/datastore.ts), in the order of history, and which of them a classroom build
// may offer. Pure data and one rule; used by `prefault run --compare`, the web build's stage
// plugin (web/stages-plugin.ts) and the browser's picker.
//
// A stage that passes every check of a lesson is that lesson's solution in all but spelling.
// `solves` lists those lessons; tests/unit/compare-stages.test.ts grades every stage against
// every lesson with the real compiler and kernel and fails when this list is not exactly true.

export interface StageInfo {
  /** the folder name under stages/ */
  name: string;
  /** one line: which kernel this is */
  title: string;
  /** the lessons whose every check this stage passes (lesson ids, in course order) */
  solves: string[];
}

export const STAGES: readonly StageInfo[] = [
  { name: "v6.18", title: "Linux v6.18: vmf_insert_pfn() into a VM_PFNMAP|VM_IO mapping", solves: ["01-first-fault", "02-time-namespaces"] },
  { name: "pre", title: "v7.2-rc1, before the series: struct pages, SIGBUS holes, VM_IO", solves: ["01-first-fault", "02-time-namespaces"] },
  { name: "p1", title: "after patch 1/6, rename the data pages variable (no change in behaviour)", solves: ["01-first-fault", "02-time-namespaces"] },
  { name: "p2", title: "after patch 2/6, map pages by the fault's pgoff", solves: ["01-first-fault", "02-time-namespaces", "03-map-by-pgoff"] },
  { name: "p3", title: "after patch 3/6, zero-filled pages instead of SIGBUS holes", solves: ["04-no-holes"] },
  { name: "p4", title: "after patch 4/6, refuse remote faults before the time namespace lookup", solves: ["04-no-holes", "05-remote-access"] },
  { name: "p5", title: "after patch 5/6, VM_IO dropped: mlockall() prefaults [vvar]", solves: ["04-no-holes", "06-mlockall"] },
  { name: "p6", title: "after patch 6/6, the simplified handler (the merged series)", solves: ["04-no-holes", "06-mlockall"] },
];

/** The catalogue entry of `name`, if it has one. */
export function stageInfo(name: string): StageInfo | undefined { return STAGES.find(s => s.name === name); }

/** Whether a classroom build may offer stage `s` while the learner works on lesson `current`:
 *  only when it solves no lesson at or after `current` in course order (lesson ids sort in course
 *  order: NN-slug). Such a stage is the solution of an earlier lesson, which the classroom build
 *  already carries as the starter of the next one. A stage outside the catalogue is never
 *  offered there: nothing says what it reveals. */
export function classroomMayOffer(s: StageInfo | undefined, current: string): boolean {
  return !!s && s.solves.every(l => l < current);
}

/** The stages to offer on lesson `current`: every stage, or in a classroom build only those
 *  classroomMayOffer() allows. */
export function offeredStages(current: string, classroom: boolean): StageInfo[] {
  return STAGES.filter(s => !classroom || classroomMayOffer(s, current));
}
