// lessons.ts: the lesson catalog. The lessons/NN-slug folders are loaded and validated at build
// time by the engine's own loader (the "virtual:prefault-lessons" module of web/vite.config.ts),
// so the browser and the CLI agree on what a lesson is, and start-up pays for no validation.
import type { Lesson } from "../../engine/lesson.js";
import data from "virtual:prefault-lessons";

export type WebLesson = Lesson;
export interface BrokenLesson { id: string; message: string }

/** All valid lessons in folder order, and the folders that did not load (with why). */
export function loadLessons(): { lessons: WebLesson[]; broken: BrokenLesson[] } {
  return data as { lessons: WebLesson[]; broken: BrokenLesson[] };
}
