// Practice ("predict, then run") in real Chromium: a share link with a seed opens the lesson's
// practice problem, the same problem `prefault quiz` generates; predictions go into labelled
// fields; "Run and check" runs the problem with the lesson's reference handler and the
// learner's own code in the page's workers, and every prediction is marked right or wrong
// against what Node's run of the same reference gives, with the learner's own result beside a
// step where it differs; predictions come back after a reload. axe-core finds nothing in the
// view; it fits a phone. Screenshots go
// to test-results/screenshots/quiz/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import { DEFAULT_LESSONS_DIR, loadLessonDir, nodeGradeDeps } from "../../cli/grade-submission.js";
import { closeSharedRunner } from "../../cli/node-runner.js";
import { variantFiles } from "../../engine/grade-submission.js";
import type { Lesson } from "../../engine/lesson.js";
import { generateQuiz, type QuizProblem } from "../../engine/scenario-gen.js";
import { answerDiff, quizAnswer, type QuizAnswer } from "../../engine/scenario-gen-answer.js";
import { launch, openApp, serve } from "./harness.js";

const LESSON = "02-time-namespaces";
const SHOTS = join(repoRoot(), "test-results", "screenshots", "quiz");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server: RunningServer;
before(async () => { server = await serve(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await server?.close(); await closeSharedRunner(); });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });

function lesson(): Lesson {
  const l = loadLessonDir(join(DEFAULT_LESSONS_DIR, LESSON));
  assert.ok(l.ok);
  return l.lesson;
}

/** The answers Node gives for `p` with `files` (the CLI's path: the real compiler and runner). */
async function nodeAnswer(l: Lesson, p: QuizProblem, files: Record<string, string>): Promise<QuizAnswer> {
  const deps = await nodeGradeDeps();
  const c = await deps.compile(p.variant ? variantFiles(files, l.variants[p.variant]) : files);
  assert.ok(c.ok);
  const out = await deps.run(c.wasm, [p.scenario], {});
  assert.ok(Array.isArray(out));
  return quizAnswer(p, out[0]);
}

/** The first seed from 1 whose problem the starter answers differently from the reference. */
async function seedWhereStarterDiffers(l: Lesson): Promise<{ seed: number; p: QuizProblem; ref: QuizAnswer; starter: QuizAnswer }> {
  for (let seed = 1; seed < 60; seed++) {
    const q = generateQuiz(l, seed);
    assert.ok(q.ok);
    const ref = await nodeAnswer(l, q.problem, l.solution), starter = await nodeAnswer(l, q.problem, l.starter);
    if (ref.steps.some((a, i) => answerDiff(a, starter.steps[i]).length)) return { seed, p: q.problem, ref, starter };
  }
  throw new Error("no problem where the starter differs");
}

type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
async function axe(page: Page, selector: string): Promise<AxeResult["violations"]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const r = await page.evaluate(async sel => {
    const a = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<AxeResult> } }).axe;
    return a.run({ include: [sel] }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] } });
  }, selector);
  return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target })) }));
}

function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Practice elements that stick out of the results pane. */
function outsidePane(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pr = document.getElementById("results")!.getBoundingClientRect();
    return Array.from(document.querySelectorAll<HTMLElement>("#practice fieldset, #practice form, #practice pre, #practice li"))
      .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < pr.left - 1 || r.right > pr.right + 1); })
      .map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().width)}px`);
  });
}

test("a share link with a seed opens practice; predictions are marked against the reference run, the learner's own result beside", async () => {
  const l = lesson();
  const { seed, p, ref, starter } = await seedWhereStarterDiffers(l);
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}&v=1&seed=${seed}`);
    const view = page.locator(`#practice[data-seed="${seed}"][data-state="ready"]`);
    await view.waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { __prefault: { lesson(): string } }).__prefault.lesson()), LESSON);
    // the problem in words is the one the engine (and `prefault quiz`) generates for this seed
    const steps = page.getByRole("list", { name: "Steps of the problem" }).locator(":scope > li");
    assert.equal(await steps.count(), p.steps.length);
    for (const s of p.steps) assert.match(await steps.nth(s.index).innerText(), new RegExp(`Step ${s.index}\\s+${s.words.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    assert.equal(await page.locator("#practice fieldset").count(), p.steps.filter(s => s.ask).length, "one fieldset per step to predict");
    assert.match(await page.locator("#practice pre").textContent() ?? "", new RegExp(`"name": "practice-${LESSON}-${seed}"`));
    await shot(page, "desktop-1-problem");

    // predictions: right for even steps, faults off by one for odd ones, the last signal left empty
    const asked = ref.steps;
    for (const [k, a] of asked.entries()) {
      const fs = page.locator(`li[data-step="${a.index}"] fieldset`);
      await fs.getByLabel("faults").fill(String(k % 2 === 0 ? a.faults : a.faults + 1));
      await fs.getByLabel("minflt").fill(String(a.minflt));
      if (k < asked.length - 1) await fs.getByLabel("signal").selectOption(a.signal);
    }
    const violationsBefore = await axe(page, "#practice");
    assert.deepEqual(violationsBefore, [], `axe-core on the practice view: ${JSON.stringify(violationsBefore)}`);
    await page.getByRole("button", { name: "Run and check" }).click();
    await page.locator('#practice[data-runs="1"][data-state="done"]').waitFor({ timeout: 120_000 });
    await shot(page, "desktop-2-marked");

    let right = 0;
    for (const [k, a] of asked.entries()) {
      const li = page.locator(`li[data-step="${a.index}"]`);
      const mark = (f: string) => li.locator(`.pred[data-field="${f}"] .mark`).innerText();
      const faultsRight = k % 2 === 0, signalRight = k < asked.length - 1;
      assert.equal(await mark("faults"), faultsRight ? "✓ right" : `✗ wrong: it is ${a.faults}`, `step ${a.index} faults`);
      assert.equal(await mark("minflt"), "✓ right", `step ${a.index} minflt`);
      assert.equal(await mark("signal"), signalRight ? "✓ right" : `✗ it is ${a.signal}`, `step ${a.index} signal`);
      right += 1 + (faultsRight ? 1 : 0) + (signalRight ? 1 : 0);
      const text = await li.locator(".pred-result").innerText();
      assert.ok(text.includes(`Why: ${a.why}`), `step ${a.index}: the why from the reference run: ${text}`);
      assert.ok(text.includes(`The kernel: faults ${a.faults}, minflt ${a.minflt}, signal ${a.signal}`), text);
      const mine = starter.steps[k], diff = answerDiff(a, mine);
      if (diff.length) assert.match(text, new RegExp(`Your handler: faults ${mine.faults}, minflt ${mine.minflt}, signal ${mine.signal} .*differs in ${diff.join(", ")}`), text);
      else assert.doesNotMatch(text, /Your handler/);
      assert.equal(await li.evaluate(e => e.className), faultsRight && signalRight ? "ask right" : "ask wrong");
    }
    assert.equal(await page.locator("#practice-score .summary").innerText(), `${right} of ${asked.length * 3} predictions right.`);
    const differing = asked.filter((a, k) => answerDiff(a, starter.steps[k]).length).length;
    assert.ok(differing > 0);
    assert.match(await page.locator("#practice-score").innerText(), new RegExp(`Your handler differs from the reference in ${differing} step`));

    const violations = await axe(page, "#practice");
    assert.deepEqual(violations, [], `axe-core on the marked practice view: ${JSON.stringify(violations)}`);
    assert.equal(await pageOverflow(page), 0);
    assert.deepEqual(await outsidePane(page), []);

    // the share link carries the seed; a bad seed is refused; New problem changes the seed and the address
    await page.getByRole("button", { name: "Share link" }).click();
    assert.match(await page.getByRole("textbox", { name: "Share link" }).inputValue(), new RegExp(`#lesson=${LESSON}&v=1&seed=${seed}$`));
    const seedBox = page.getByLabel("Problem number");
    await seedBox.fill("-3");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    assert.equal(await seedBox.getAttribute("aria-invalid"), "true");
    assert.match(await page.locator("#practice-status").innerText(), /whole number from 0 to 4294967295/);
    await page.getByRole("button", { name: "New problem" }).click();
    const other = Number(await page.locator("#practice").getAttribute("data-seed"));
    assert.notEqual(other, seed);
    assert.ok(page.url().endsWith(`#lesson=${LESSON}&v=1&seed=${other}`), page.url());
    // Back to results: practice closes, the address forgets the seed
    await page.getByRole("button", { name: "Back to results" }).click();
    assert.equal(await page.locator("#practice").isHidden(), true);
    assert.ok(page.url().endsWith(`#lesson=${LESSON}`), page.url());
    // the Practice problems button opens a random problem, its title focused
    await page.getByRole("button", { name: "Practice problems" }).click();
    await page.locator('#practice[data-state="ready"]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "practice-title");
    assert.match(page.url(), new RegExp(`#lesson=${LESSON}&v=1&seed=\\d+$`));
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test("phone 390x844: practice in the Results tab, no sideways scroll, marked, axe-core clean", async () => {
  const l = lesson();
  const seed = 7;
  const q = generateQuiz(l, seed);
  assert.ok(q.ok);
  const ref = await nodeAnswer(l, q.problem, l.solution);
  const b = await launch({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}&v=1&seed=${seed}`);
    await page.locator(`#practice[data-seed="${seed}"]`).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole("tab", { name: /^Results/ }).getAttribute("aria-selected"), "true", "the Results tab shows practice");
    assert.equal(await pageOverflow(page), 0);
    await shot(page, "phone-1-problem");
    for (const a of ref.steps) {
      const fs = page.locator(`li[data-step="${a.index}"] fieldset`);
      await fs.getByLabel("faults").fill(String(a.faults));
      await fs.getByLabel("minflt").fill(String(a.minflt));
      await fs.getByLabel("signal").selectOption(a.signal);
    }
    // a reload (a phone drops background tabs) loses no prediction: the link reopens the problem
    // and its fields are filled again as typed
    await page.reload();
    await page.locator(`#practice[data-seed="${seed}"][data-state="ready"]`).waitFor({ timeout: 30_000 });
    for (const a of ref.steps) {
      const fs = page.locator(`li[data-step="${a.index}"] fieldset`);
      assert.equal(await fs.getByLabel("faults").inputValue(), String(a.faults), `step ${a.index} faults after a reload`);
      assert.equal(await fs.getByLabel("minflt").inputValue(), String(a.minflt), `step ${a.index} minflt after a reload`);
      assert.equal(await fs.getByLabel("signal").inputValue(), a.signal, `step ${a.index} signal after a reload`);
    }
    await page.getByRole("button", { name: "Run and check" }).click();
    await page.locator('#practice[data-runs="1"][data-state="done"]').waitFor({ timeout: 120_000 });
    assert.equal(await page.locator("#practice-score .summary").innerText(), `${ref.steps.length * 3} of ${ref.steps.length * 3} predictions right.`);
    assert.equal(await page.locator("#practice .pred.wrong").count(), 0);
    await page.locator("#practice-score").scrollIntoViewIfNeeded();
    await shot(page, "phone-2-marked");
    await page.locator(`li[data-step="${ref.steps[0].index}"]`).scrollIntoViewIfNeeded();
    await shot(page, "phone-3-why");
    assert.equal(await pageOverflow(page), 0, "no horizontal scroll with the marks and whys shown");
    assert.deepEqual(await outsidePane(page), []);
    const violations = await axe(page, "#practice");
    assert.deepEqual(violations, [], `axe-core on the phone: ${JSON.stringify(violations)}`);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
