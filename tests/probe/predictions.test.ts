// tests/probe/predictions.test.ts: what the browser's "On your machine" section predicts for each
// kernel era (engine/probe/predict.ts, computed by cli/era-predictions.ts from the eras' stage
// runs) is what real kernels show: every observation of the v6.18 era equals what a Linux 6.18
// x86_64 reported (tests/probe/fixtures/linux-6.18-x86_64.jsonl), every one of the merged era
// what the post-series record shows; 7.0-7.1 differs from v6.18 only in how pages are mapped
// (VmFlags mm instead of pf, pages counted in Rss); and every lesson's rows exist in every era.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eraPredictions } from "../../cli/era-predictions.js";
import { observationDefs } from "../../engine/probe/observations.js";
import { ERAS, factsLine, lessonRows, LESSON_ROWS, predictionScenarios } from "../../engine/probe/predict.js";
import { parseProbeOutput } from "../../engine/probe/record.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function kernelFacts(file: string): Map<string, string> {
  const p = parseProbeOutput(readFileSync(join(ROOT, "tests", "probe", "fixtures", file), "utf8"));
  assert.ok(p.ok);
  const defs = observationDefs({ pages: p.record.header.vvar_pages, sealing: false });
  const out = new Map<string, string>();
  for (const o of p.record.observations) {
    const d = defs.find(x => x.id === o.id);
    if (d && o.status === "ok" && !d.informational) out.set(o.id, factsLine(d.real(o)));
  }
  return out;
}

test("the eras' predictions agree with real kernels, observation by observation", async () => {
  const p = await eraPredictions();
  const ids = predictionScenarios().map(x => x.def.id);
  assert.ok(ids.length >= 50, `${ids.length} predictable observations`);
  for (const { era } of ERAS) assert.deepEqual(Object.keys(p[era]), ids, `${era}: every observation predicted`);
  for (const [era, file] of [["v6.18", "linux-6.18-x86_64.jsonl"], ["merged", "post-series-example.jsonl"]] as const) {
    const real = kernelFacts(file);
    assert.ok(real.size >= 50);
    const differ = [...real].filter(([id, f]) => factsLine(p[era][id].facts) !== f).map(([id, f]) => `${id}: kernel ${f} | model ${factsLine(p[era][id].facts)}`);
    assert.deepEqual(differ, [], `${era} against ${file}`);
  }
  // 7.0-7.1 maps struct pages (VM_MIXEDMAP, "mm", counted in Rss) where v6.18 inserted pfns
  // ("pf", special PTEs: Rss 0 kB); faults, errnos and signals are the same
  const rssFree = (s: string) => s.replace(/Rss \d+ kB/g, "Rss _");
  for (const id of ids) {
    const a = factsLine(p["v6.18"][id].facts), b = factsLine(p.pre[id].facts);
    assert.equal(rssFree(b), rssFree(a.replace(/rd mr pf io de dd/g, "rd mr io de dd mm")), id);
  }
  assert.match(factsLine(p["v6.18"]["smaps.after_first_call"].facts), /Rss 0 kB/);
  assert.match(factsLine(p.pre["smaps.after_first_call"].facts), /Rss 4 kB/);
  for (const lesson of Object.keys(LESSON_ROWS)) {
    for (const id of lessonRows(lesson)) for (const { era } of ERAS) assert.ok(p[era][id], `${lesson}: ${id} in ${era}`);
  }
});
