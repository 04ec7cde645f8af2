// The fault timeline in real Chromium, on lesson 06's solution: its caption counts as "after
// mlockall()" only the faults of a task after that task's own mlockall() (remote-write: rt calls
// mlockall() and takes no fault; the one fault is other's, which never called it), and its log10
// latency scale is labelled at 0 and at each power of ten, every bar between the labels of the
// powers of ten around its latency, no label touching another, none under 11 px. Screenshots in
// test-results/screenshots/timeline/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningServer } from "../../cli/commands/serve.js";
import { repoRoot } from "../../cli/commands/serve.js";
import type { Scenario } from "../../engine/types.js";
import { launch, openApp, serve, setCode, waitRun } from "./harness.js";

const LESSON = "06-mlockall";
const lessonFile = (p: string) => readFileSync(join(repoRoot(), "lessons", LESSON, p), "utf8");
const SOLUTION = lessonFile("solution/datastore.ts");
const REMOTE_WRITE = JSON.parse(lessonFile("scenarios/remote-write.json")) as Scenario;
const SHOTS = join(repoRoot(), "test-results", "screenshots", "timeline");

let server: RunningServer;
before(async () => { server = await serve(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await server?.close(); });

const UNIT: Record<string, number> = { ns: 1, "µs": 1e3, ms: 1e6, s: 1e9 };
/** "20 µs" -> 20000, "1.2 µs" -> 1200, "85 ns" -> 85 */
function ns(text: string): number {
  const m = /^([\d.]+) (ns|µs|ms|s)$/.exec(text.trim());
  assert.ok(m, `a duration: "${text}"`);
  return Number(m[1]) * UNIT[m[2]];
}

test("lesson 06 remote-write: 'after mlockall()' counts rt's own faults only; the latency scale has a label at each power of ten", async () => {
  const b = await launch({ viewport: { width: 1440, height: 900 } });
  try {
    const { page } = b;
    await openApp(page, `${server.url}#lesson=${LESSON}`);
    await setCode(page, SOLUTION);
    await page.locator("#run-btn").click();
    await waitRun(page, 1);
    const rows = await page.getByRole("list", { name: "Checks" }).getByRole("listitem").evaluateAll(els => els.map(e => e.getAttribute("aria-label") ?? ""));
    for (const r of rows) assert.match(r, /: passed,/, r);
    const section = page.locator(`details[data-scenario='${REMOTE_WRITE.name}']`);
    if (!(await section.evaluate(d => (d as HTMLDetailsElement).open))) await section.locator("summary").click();
    const svg = section.locator(".timeline svg");
    await svg.waitFor();

    // what the scenario says (and the passing run met): the faults each step takes, who calls mlockall()
    const steps = REMOTE_WRITE.steps as unknown as { op: string; task: string; expect?: { faults?: number } }[];
    const mlocked = new Map<string, number>();
    steps.forEach((st, i) => { if (st.op === "mlockall" && !mlocked.has(st.task)) mlocked.set(st.task, i); });
    const faulting = steps.map((st, i) => ({ task: st.task, i, faults: st.expect?.faults ?? 0 })).filter(x => x.faults > 0);
    const after = faulting.filter(x => mlocked.has(x.task) && x.i > mlocked.get(x.task)!);
    assert.deepEqual([...mlocked], [["rt", 1]]);
    assert.ok(faulting.length > 0 && faulting.every(x => !mlocked.has(x.task)), "the scenario's faults are of tasks that never call mlockall()");
    const caption = (await section.locator(".timeline p.muted").first().textContent()) ?? "";
    assert.match(caption, new RegExp(`, ${faulting.length} with a page fault \\(red\\), ${after.length} in a task after its own mlockall\\(\\) \\(rt: step 1\\);`), caption);
    assert.match((await svg.getAttribute("aria-label")) ?? "", new RegExp(`${faulting.length} took a page fault, ${after.length} of them in a task after its own mlockall\\(\\)`));

    // the latency scale: "0 ns" at the axis, then each power of ten up to one at or above the slowest call
    const drawn = await svg.evaluate(el => ({
      labels: Array.from(el.querySelectorAll<SVGTextElement>("text.tick")).map(t => {
        const r = t.getBBox();
        return { text: t.textContent ?? "", y: Number(t.getAttribute("y")), top: r.y, bottom: r.y + r.height, right: r.x + r.width,
                 px: parseFloat(getComputedStyle(t).fontSize) * el.getBoundingClientRect().width / (el as SVGSVGElement).viewBox.baseVal.width };
      }),
      axisY: Number(el.querySelector("line.axis")?.getAttribute("y1")),
      plotLeft: Math.min(...Array.from(el.querySelectorAll("rect.bar")).map(r => Number(r.getAttribute("x")))),
      bars: Array.from(el.querySelectorAll<SVGRectElement>("rect.bar")).map(r => ({ top: Number(r.getAttribute("y")), title: r.querySelector("title")?.textContent ?? "" })),
    }));
    const values = drawn.labels.map(l => ns(l.text));
    const slowest = Math.max(...drawn.bars.map(x => ns(x.title.split(": ").pop()!.replace(/ \(.*$/, ""))));
    assert.equal(values[0], 0);
    assert.equal(drawn.labels[0].y, drawn.axisY, "'0 ns' is at the axis");
    for (let i = 1; i < values.length; i++) assert.equal(values[i], 10 ** i, `label ${i} is 10^${i} ns: ${drawn.labels.map(l => l.text).join(", ")}`);
    assert.ok(values[values.length - 1] >= slowest && values[values.length - 2] < slowest, `the labels end at the power of ten above the slowest call (${slowest} ns)`);
    for (let i = 1; i < drawn.labels.length; i++) {
      assert.ok(drawn.labels[i].y < drawn.labels[i - 1].y, "a longer latency is higher up");
      assert.ok(drawn.labels[i].bottom <= drawn.labels[i - 1].top, `"${drawn.labels[i].text}" does not touch "${drawn.labels[i - 1].text}"`);
    }
    for (const l of drawn.labels) {
      assert.ok(l.px >= 11, `${l.text}: ${l.px} px`);
      assert.ok(l.right <= drawn.plotLeft, `${l.text} is left of the bars`);
    }
    // every bar ends between the labels of the powers of ten around its latency
    for (const bar of drawn.bars) {
      const lat = ns(bar.title.split(": ").pop()!.replace(/ \(.*$/, ""));
      const above = drawn.labels.findIndex((_, i) => values[i] >= lat);
      assert.ok(above > 0, bar.title);
      assert.ok(bar.top <= drawn.labels[above - 1].y && bar.top >= drawn.labels[above].y,
        `${bar.title}: its top (y ${bar.top}) is between ${drawn.labels[above - 1].text} (y ${drawn.labels[above - 1].y}) and ${drawn.labels[above].text} (y ${drawn.labels[above].y})`);
    }
    await section.locator(".timeline").scrollIntoViewIfNeeded();
    await section.locator(".timeline").screenshot({ path: join(SHOTS, "remote-write-timeline.png") });
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});
