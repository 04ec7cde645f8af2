// lesson-view.ts: the lesson list with progress, the lesson text and the hints.
import type { Progress } from "../core/storage.js";
import { escapeHtml, hintLevels, renderMarkdown } from "../core/markdown.js";
import type { WebLesson } from "../lessons.js";
import { h } from "./dom.js";

/** Progress label of a lesson: "done", "x of y", or "" when never run. */
export function progressLabel(p: Progress, id: string): string {
  const lp = p.lessons[id];
  if (!lp) return "";
  return lp.passed ? "done" : `${lp.passed_checks} of ${lp.total_checks}`;
}

/** Fills the lesson navigation; `current` gets aria-current, and the row (which scrolls
 *  sideways when the chips do not fit, as on a phone) is scrolled to show it. */
export function renderLessonList(ol: HTMLElement, lessons: WebLesson[], current: string, p: Progress): void {
  ol.replaceChildren(...lessons.map((l, i) => {
    const label = progressLabel(p, l.id);
    const a = h("a", { href: `#lesson=${encodeURIComponent(l.id)}`, "data-lesson": l.id,
      "aria-current": l.id === current ? "page" : undefined, class: label === "done" ? "done" : undefined,
      title: label && label !== "done" ? `${l.title}: ${label} checks passed` : l.title },
      // the progress once in the accessible name: the visible "(3 of 7)" is hidden from it,
      // the words ", 3 of 7 checks" are for screen readers only
      `${i + 1}. ${l.title}`, label && label !== "done" ? h("span", { class: "prog", "aria-hidden": "true" }, `(${label})`) : null,
      h("span", { class: "sr-only" }, label === "done" ? ", done" : label ? `, ${label} checks passed` : ", not started"));
    return h("li", {}, a);
  }));
  const chip = ol.querySelector<HTMLElement>('a[aria-current="page"]')?.parentElement;
  if (chip) revealChip(ol, chip);
}

/** Scrolls the chip row `ol` sideways so that `chip` is in the middle of it (as far as it goes).
 *  Only the row scrolls: scrollIntoView() would scroll the page and the panes too. */
function revealChip(ol: HTMLElement, chip: HTMLElement): void {
  if (ol.scrollWidth <= ol.clientWidth) return;
  // the row is the chips' offsetParent (position: relative in styles.css)
  const left = chip.offsetLeft - (ol.clientWidth - chip.offsetWidth) / 2;
  ol.scrollLeft = Math.max(0, Math.min(left, ol.scrollWidth - ol.clientWidth));
}

/** Renders the lesson's summary and README (its first heading is the pane title). */
export function renderLessonText(title: HTMLElement, article: HTMLElement, lesson: WebLesson): void {
  title.textContent = lesson.title;
  article.innerHTML = (lesson.summary ? `<p class="lead">${escapeHtml(lesson.summary)}</p>` : "") +
    renderMarkdown(lesson.readme.replace(/^#\s+.+\n/, ""));
}

/** Shows the first `unlocked` hint levels; returns how many levels exist. */
export function renderHints(box: HTMLElement, button: HTMLButtonElement, lesson: WebLesson, unlocked: number): number {
  const levels = hintLevels(lesson.hints);
  box.replaceChildren(...levels.slice(0, unlocked).map((lv, i) => {
    const d = h("div", { class: "hint", role: "note", "aria-label": `Hint ${i + 1}` });
    const title = /^level\s+\d/i.test(lv.title) ? lv.title : `Hint ${i + 1}: ${lv.title}`;
    d.innerHTML = `<strong>${escapeHtml(title)}</strong>` + renderMarkdown(lv.body);
    return d;
  }));
  button.hidden = unlocked >= levels.length;
  button.textContent = levels.length === 0 ? "No hints" : `Show hint ${Math.min(unlocked + 1, levels.length)} of ${levels.length}`;
  return levels.length;
}
