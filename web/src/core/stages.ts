// stages.ts: the Linux stages this build carries for the compare view ("virtual:prefault-stages",
// web/stages-plugin.ts: compiled at build time by the real compiler), and their modules, fetched
// and compiled only when the learner first compares with one.
import data from "virtual:prefault-stages";
import { classroomMayOffer, stageInfo } from "../../../engine/compare-stages.js";

export interface WebStage { name: string; title: string; solves: string[]; hash: string; url: string }

/** Whether this is a classroom build (PREFAULT_NO_SOLUTIONS): stages are offered by lesson. */
export const CLASSROOM: boolean = data.classroom;

/** The stages to offer on lesson `lessonId`, in history order: all of them, or in a classroom
 *  build those that solve no lesson at or after it (engine/compare-stages.ts). */
export function stagesFor(lessonId: string): WebStage[] {
  return data.stages.filter(s => !CLASSROOM || classroomMayOffer(stageInfo(s.name), lessonId));
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

/** The compiled module of stage `s` (fetched once; a failed fetch is retried next time). */
export function stageModule(s: WebStage): Promise<WebAssembly.Module> {
  let p = modules.get(s.name);
  if (!p) {
    p = fetch(s.url).then(r => { if (!r.ok) throw new Error(`${s.url}: HTTP ${r.status}`); return r.arrayBuffer(); })
      .then(b => WebAssembly.compile(b));
    p.catch(() => modules.delete(s.name));
    modules.set(s.name, p);
  }
  return p;
}
