// cli/commands/assignment.ts: `prefault assignment`, a lesson set as a class assignment, as kits
// that run on their platforms as they are.
//
//   prefault assignment --lesson ID --out DIR [--checks DIR] [--grader NPM_SPEC] [--lessons-dir DIR]
//
//   DIR/
//     starter/                           the GitHub Classroom template repository (students read it)
//       datastore.ts                     the lesson's editable files, as the starter has them
//       README.md                        the lesson text, how to check locally, how grading works
//       .github/workflows/classroom.yml  grades every push, reports points to GitHub Classroom
//       .grader/<student grader>.tgz     the student grader (no solution, mutant or hidden check)
//       .gitignore
//     gradescope/                        the Gradescope autograder; gradescope.zip is it zipped
//       setup.sh                         Node (current LTS) only when missing, then the bundled grader
//       run_autograder                   grades /autograder/submission -> results/results.json
//       <student grader>-bundle.tgz      the grader with its dependencies (no registry needed)
//       checks/                          the hidden checks (the lesson's, then --checks)
//     gradescope.zip
//     prairielearn/<ID>/                 a PrairieLearn question (copy into the course's questions/)
//       info.json                        externalGradingOptions: image, entrypoint, timeout
//       question.html, datastore.ts      the editor, the starter it opens with, the results panel
//       tests/run.sh                     the entrypoint: grades /grade/student -> /grade/results
//       tests/<student grader>-bundle.tgz, tests/checks/
//     teacher/                           the teacher's (private) repository: grade-class.yml grades a
//       .github/workflows/grade-class.yml  class in shards and merges them (cli/class-workflow.ts),
//       .grader/<student grader>-bundle.tgz, checks/   with the bundled grader and the hidden checks
//
// Hidden checks go only where students cannot read them (Gradescope's source, PrairieLearn's
// tests/): a GitHub Classroom repository is its student's. --grader NPM_SPEC makes the workflow
// and setup.sh install that spec from a registry instead of the bundled tarballs.

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, join, relative, resolve, sep } from "node:path";
import { zipSync } from "fflate";
import { PACKAGE_ROOT, nodeFolder } from "../node-paths.js";
import { LESSON_ID, loadLessonFolder } from "../../engine/lesson-folder.js";
import { parseCommandArgs } from "../args.js";
import { readChecksSource } from "../grade-submission.js";
import { packGrader } from "../pack.js";
import { mergeChecksFolders, type ChecksFolder } from "../student-lesson.js";
import { writeChecksFolder, writeFile } from "../kit-files.js";
import { classGradingWorkflow, WORKFLOW_ACTIONS } from "../class-workflow.js";
import { NODE_LTS } from "../node-lts.js";

/** The actions the student workflow uses: the class workflow's (each on the node24 runtime, their action.yml). */
export const ACTIONS = WORKFLOW_ACTIONS;

/** What the kit needs of a lesson, read from lessons/<id>/. */
interface KitLesson { id: string; title: string; summary: string; readme: string; editable: string[]; starter: Record<string, string>;
                     /** the scenario of the lesson's first visible check: the README's `prefault run` example */
                     example?: string }

// the lesson through the engine's one reader, validated as grading will validate it
function readLesson(lessonsDir: string, id: string): { ok: true; lesson: KitLesson } | { ok: false; message: string } {
  if (!LESSON_ID.test(id)) return { ok: false, message: `not a lesson id: ${JSON.stringify(id)}` };
  const dir = join(lessonsDir, id);
  if (!existsSync(join(dir, "lesson.json"))) return { ok: false, message: `no lesson ${id} in ${lessonsDir}` };
  const r = loadLessonFolder(id, nodeFolder(dir));
  if (!r.ok) return { ok: false, message: `lesson ${id}: ${r.error.message}` };
  const l = r.lesson;
  const starter: Record<string, string> = {};
  for (const f of l.files.editable) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*\.ts$/.test(f)) return { ok: false, message: `lesson ${id}: bad editable file name ${f}` };
    if (l.starter[f] === undefined) return { ok: false, message: `lesson ${id}: starter/${f} is missing` };
    starter[f] = l.starter[f];
  }
  const example = l.checks.find(c => c.visibility === "visible")?.scenario;
  return { ok: true, lesson: { id, title: l.title, summary: l.summary, readme: l.readme, editable: l.files.editable, starter, ...(example ? { example } : {}) } };
}

/** A single-quoted shell word. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How a kit gets its grader: a tarball shipped in the kit (its path relative to the kit's
 *  folder) or an npm spec fetched from a registry. */
type GraderSource = { tarball: string } | { spec: string };

function installArg(g: GraderSource, base: string): string {
  return "tarball" in g ? `"${base}/${g.tarball}"` : shq(g.spec);
}

/** Markdown `md` without its level-2 section `title` (the heading to the next level-2 heading);
 *  fenced code is not read as headings. */
export function withoutSection(md: string, title: string): string {
  const out: string[] = [];
  let fence: string | undefined, skipping = false;
  for (const line of md.split("\n")) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) { if (!fence) fence = f[1][0]; else if (f[1][0] === fence) fence = undefined; }
    else if (!fence && /^## /.test(line)) skipping = line.slice(3).trim() === title;
    if (!skipping) out.push(line);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

/** The student README: the lesson text, then how to check and how grading works. The lesson's
 *  own "How to check" speaks of the web app and of a checkout of Prefault (`npx prefault`,
 *  `lesson start`): in a kit repository the grader is installed under .prefault/, so that section
 *  is replaced by one whose every command runs here as written. */
export function studentReadme(l: KitLesson, g: GraderSource): string {
  const files = l.editable.join(" ");
  const bin = ".prefault/node_modules/.bin/prefault";
  // the rest of the text's commands (prefault probe ...) run the grader installed here, not npx's
  const text = withoutSection(l.readme, "How to check").replace(/\bnpx prefault /g, `${bin} `).trim();
  return [
    `# ${l.title}`,
    "",
    `> Prefault assignment: lesson \`${l.id}\`. Edit ${l.editable.map(f => `\`${f}\``).join(", ")} and push.`,
    "",
    text === "" ? l.summary : text,
    "",
    "## Checking your work",
    "",
    `Install the grader of this repository once (Node 20 or later; Node ${NODE_LTS} is what grading uses), then grade:`,
    "",
    "```sh",
    `npm install --no-save --no-audit --no-fund --prefix .prefault ${"tarball" in g ? `./${g.tarball}` : shq(g.spec)}`,
    `${bin} grade --lesson ${l.id} ${files}`,
    "```",
    "",
    "Each check prints `OK` or `FAIL`; a failure says why, in kernel terms. The last lines are",
    "your score and `N passed, N failed`.",
    "",
    ...(l.example ? [
      "To see what happened, step by step (faults, handler calls, the simulated latency of each vDSO",
      "call, any expectation that did not hold), run one of the lesson's scenarios:",
      "",
      "```sh",
      `${bin} run lessons/${l.id}/scenarios/${l.example}.json --datastore ${l.editable[0]}`,
      "```",
      "",
      "Add `--explain N` to walk the faults of step N down the kernel's call chain.",
      "",
    ] : []),
    `Stuck? \`${bin} lesson hint ${l.id} 1\` gives a hint (levels 1 to 3).`,
    "",
    "## How this is graded",
    "",
    "Every push runs the same grader on GitHub (the *Autograding Tests* workflow, under Actions)",
    "and records your points. Your teacher may also run checks you cannot see: their result is",
    "shown, their details only after the due date.",
    "",
  ].join("\n");
}

/** The GitHub Actions workflow. GitHub Classroom requires this workflow name and this one job
 *  name (autograding-grading-reporter README). The last step is `prefault classroom-report`,
 *  which reads env PREFAULT_RESULTS for the runner "prefault" and writes the annotations the
 *  classroom reads, as the reporter action does (the reporter's own runtime is node20). Hidden
 *  checks come, when configured, from a private repository named by the repository (or
 *  organisation) variable PREFAULT_CHECKS_REPO, read with the secret PREFAULT_CHECKS_TOKEN. */
export function classroomWorkflow(l: KitLesson, g: GraderSource): string {
  const files = l.editable.join(" ");
  return [
    "name: Autograding Tests",
    "on:",
    "  - push",
    "  - workflow_dispatch",
    "  - repository_dispatch",
    "permissions:",
    "  checks: write",
    "  actions: read",
    "  contents: read",
    "jobs:",
    "  run-autograding-tests:",
    "    runs-on: ubuntu-latest",
    "    if: github.actor != 'github-classroom[bot]'",
    "    steps:",
    "      - name: Checkout code",
    `        uses: ${ACTIONS.checkout}`,
    "      - name: Set up Node",
    `        uses: ${ACTIONS.setupNode}`,
    "        with:",
    `          node-version: ${NODE_LTS}`,
    "          package-manager-cache: false",
    "      - name: Fetch the hidden checks",
    "        if: ${{ vars.PREFAULT_CHECKS_REPO != '' }}",
    `        uses: ${ACTIONS.checkout}`,
    "        with:",
    "          repository: ${{ vars.PREFAULT_CHECKS_REPO }}",
    "          token: ${{ secrets.PREFAULT_CHECKS_TOKEN }}",
    "          path: .prefault-checks",
    "      - name: Install the Prefault grader",
    `        run: npm install --no-save --no-audit --no-fund --prefix "$RUNNER_TEMP/prefault" ${installArg(g, ".")}`,
    "      - name: Grade",
    "        id: prefault",
    "        run: |",
    `          PREFAULT="$RUNNER_TEMP/prefault/node_modules/.bin/prefault"`,
    "          checks=()",
    "          if [ -f .prefault-checks/checks.json ]; then checks=(--checks .prefault-checks); fi",
    "          status=0",
    `          "$PREFAULT" grade --lesson ${l.id} ${files} "\${checks[@]}" --format github --base64 --out "$RUNNER_TEMP/result.b64" || status=$?`,
    "          if [ \"$status\" -gt 1 ]; then exit \"$status\"; fi",
    `          echo "result=$(cat "$RUNNER_TEMP/result.b64")" >> "$GITHUB_OUTPUT"`,
    "      - name: Autograding Reporter",
    "        env:",
    "          PREFAULT_RESULTS: \"${{ steps.prefault.outputs.result }}\"",
    `        run: '"$RUNNER_TEMP/prefault/node_modules/.bin/prefault" classroom-report --runners prefault'`,
    "",
  ].join("\n");
}

/** Gradescope's setup.sh: runs once, as root, on its Ubuntu base image, when the autograder
 *  image is built. Installs Node (current LTS) only when none of version 20 or later is there,
 *  then the grader. AUTOGRADER may be overridden (tests run it outside Gradescope). */
export function gradescopeSetup(g: GraderSource): string {
  return [
    "#!/usr/bin/env bash",
    `# Gradescope autograder setup for Prefault: Node ${NODE_LTS} (when no Node 20 or later is installed), then the grader.`,
    "set -euo pipefail",
    "AUTOGRADER=\"${AUTOGRADER:-/autograder}\"",
    "SOURCE=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"",
    "if ! command -v node >/dev/null 2>&1 || [ \"$(node -p 'process.versions.node.split(\".\")[0]')\" -lt 20 ]; then",
    "  apt-get update",
    "  apt-get install -y ca-certificates curl gnupg",
    `  curl -fsSL https://deb.nodesource.com/setup_${NODE_LTS}.x | bash -`,
    "  apt-get install -y nodejs",
    "fi",
    `npm install --no-save --no-audit --no-fund${"tarball" in g ? " --offline" : ""} --prefix "$AUTOGRADER/prefault" ${installArg(g, "$SOURCE")}`,
    "",
  ].join("\n");
}

/** Gradescope's run_autograder: finds the editable files anywhere in the submission (uploads
 *  and GitHub submissions nest folders), grades, and always leaves a results.json. AUTOGRADER
 *  and PREFAULT may be overridden (tests run it outside Gradescope). */
export function gradescopeRun(l: KitLesson): string {
  const lines = [
    "#!/usr/bin/env bash",
    `# Gradescope run_autograder for Prefault lesson ${l.id}.`,
    "set -uo pipefail",
    "AUTOGRADER=\"${AUTOGRADER:-/autograder}\"",
    "PREFAULT=\"${PREFAULT:-$AUTOGRADER/prefault/node_modules/.bin/prefault}\"",
    "RESULTS=\"$AUTOGRADER/results/results.json\"",
    "mkdir -p \"$AUTOGRADER/results\"",
    "WORK=\"$(mktemp -d)\"",
    "missing=\"\"",
  ];
  for (const f of l.editable) {
    lines.push(
      `found="$(find "$AUTOGRADER/submission" -type f -name ${shq(f)} -not -path '*/.*' | sort | head -n 1)"`,
      `if [ -n "$found" ]; then cp "$found" "$WORK/${f}"; else missing="$missing ${f}"; fi`,
    );
  }
  lines.push(
    "if [ -n \"$missing\" ]; then",
    "  printf '{\"score\": 0, \"output\": \"Your submission has no%s. Upload the file(s) you edited.\\\\n\", \"tests\": []}\\n' \"$missing\" > \"$RESULTS\"",
    "  exit 0",
    "fi",
    "checks=()",
    "if [ -f \"$AUTOGRADER/source/checks/checks.json\" ]; then checks=(--checks \"$AUTOGRADER/source/checks\"); fi",
    "cd \"$WORK\"",
    `"$PREFAULT" grade --lesson ${l.id} ${l.editable.join(" ")} "\${checks[@]}" --format gradescope --out "$RESULTS"`,
    "status=$?",
    "if [ ! -s \"$RESULTS\" ]; then",
    "  printf '{\"score\": 0, \"output\": \"The grader failed (exit %s). Your instructor has been told.\\\\n\", \"tests\": []}\\n' \"$status\" > \"$RESULTS\"",
    "fi",
    "exit 0",
    "",
  );
  return lines.join("\n");
}

/** A stable UUID for a lesson's PrairieLearn question (name-based, SHA-1, RFC 9562 version 5
 *  layout), so regenerating the kit keeps the question's identity. */
export function questionUuid(lessonId: string): string {
  const h = createHash("sha1").update(`prefault:question:${lessonId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The question's info.json (PrairieLearn docs: externalGrading.md). The image is the official
 *  Node LTS image; networking stays off: the grader is bundled with its dependencies. */
export function prairielearnInfo(l: KitLesson): string {
  return JSON.stringify({
    uuid: questionUuid(l.id),
    title: l.title,
    topic: "Memory management",
    tags: ["prefault", l.id],
    type: "v3",
    singleVariant: true,
    gradingMethod: "External",
    externalGradingOptions: {
      enabled: true,
      image: `node:${NODE_LTS}-bookworm-slim`,
      entrypoint: "/grade/tests/run.sh",
      timeout: 120,
    },
  }, null, 2) + "\n";
}

/** question.html: the lesson text, an editor per editable file (opening with the starter), and
 *  the grader's results. */
export function prairielearnQuestion(l: KitLesson): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return [
    "<pl-question-panel>",
    `  <h2>${esc(l.title)}</h2>`,
    `  <p>${esc(l.summary)}</p>`,
    `  <p>Edit ${l.editable.map(f => `<code>${f}</code>`).join(", ")} and press <em>Save &amp; Grade</em>: the Prefault grader compiles it, runs the lesson's scenarios against the kernel model and grades page-fault counts, SIGBUS/WARN/BUG and correctness.</p>`,
    ...l.editable.map(f => `  <pl-file-editor file-name="${f}" ace-mode="ace/mode/typescript" source-file-name="${f}"></pl-file-editor>`),
    "</pl-question-panel>",
    "",
    "<pl-submission-panel>",
    "  <pl-external-grader-results></pl-external-grader-results>",
    "  <pl-file-preview></pl-file-preview>",
    "</pl-submission-panel>",
    "",
  ].join("\n");
}

/** The PrairieLearn entrypoint: unpacks the bundled grader (no network, no npm), grades
 *  /grade/student, and always leaves /grade/results/results.json. GRADE may be overridden. */
export function prairielearnRun(l: KitLesson, tarball: string): string {
  const files = l.editable.map(f => `"$GRADE/student/${f}"`).join(" ");
  return [
    "#!/usr/bin/env bash",
    `# PrairieLearn external grader for Prefault lesson ${l.id}.`,
    "set -uo pipefail",
    "GRADE=\"${GRADE:-/grade}\"",
    "RESULTS=\"$GRADE/results/results.json\"",
    "mkdir -p \"$GRADE/results\"",
    "fail() { printf '{\"gradable\": false, \"score\": 0, \"format_errors\": [\"%s\"]}\\n' \"$1\" > \"$RESULTS\"; exit 0; }",
    ...l.editable.map(f => `[ -f "$GRADE/student/${f}" ] || fail "no ${f} was submitted"`),
    "WORK=\"$(mktemp -d)\"",
    `tar -xzf "$GRADE/tests/${tarball}" -C "$WORK" || fail "the grader could not be unpacked"`,
    "checks=()",
    "if [ -f \"$GRADE/tests/checks/checks.json\" ]; then checks=(--checks \"$GRADE/tests/checks\"); fi",
    `node "$WORK/package/bin/prefault.js" grade --lesson ${l.id} ${files} "\${checks[@]}" --format prairielearn --out "$RESULTS"`,
    "status=$?",
    "[ -s \"$RESULTS\" ] || fail \"the grader failed (exit $status)\"",
    "exit 0",
    "",
  ].join("\n");
}

/** Every file under dir, as zip entries keyed by their path relative to dir ("/" separators). */
function zipEntries(dir: string, base = dir, out: Record<string, [Uint8Array, { os?: number; attrs?: number }]> = {}) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) zipEntries(p, base, out);
    else {
      const mode = statSync(p).mode & 0o777;
      out[relative(base, p).split(sep).join("/")] = [new Uint8Array(readFileSync(p)), { os: 3, attrs: ((0o100000 | mode) << 16) >>> 0 }];
    }
  }
  return out;
}

export const command = {
  name: "assignment",
  summary: "write a lesson's kits: GitHub Classroom template, Gradescope autograder, PrairieLearn question",
  usage: "prefault assignment --lesson ID --out DIR [--checks DIR] [--grader NPM_SPEC] [--lessons-dir DIR]",
  async run(argv: string[]): Promise<number> {
    const p = parseCommandArgs(argv, {
      lesson: { type: "string" }, out: { type: "string", short: "o" }, checks: { type: "string" },
      grader: { type: "string" }, "lessons-dir": { type: "string" },
    });
    if (!p.ok) { process.stderr.write(`assignment: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const v = p.values;
    if (!v.lesson || !v.out) { process.stderr.write(`assignment: --lesson and --out are required\nusage: ${command.usage}\n`); return 2; }
    if (v.grader !== undefined && v.grader.trim() === "") { process.stderr.write("assignment: --grader needs an npm spec\n"); return 2; }
    const lessonsDir = v["lessons-dir"] ?? join(PACKAGE_ROOT, "lessons");
    const r = readLesson(lessonsDir, v.lesson);
    if (!r.ok) { process.stderr.write(`assignment: ${r.message}\n`); return 2; }
    let extra: ChecksFolder | undefined;
    if (v.checks !== undefined) {
      const c = readChecksSource(v.checks);
      if (!c.ok) { process.stderr.write(`assignment: --checks: ${c.message}\n`); return 2; }
      const j = c.source.json as ChecksFolder["json"];
      if (!j || !Array.isArray(j.checks)) { process.stderr.write(`assignment: --checks: checks.json has no "checks" array\n`); return 2; }
      // an instructor's check is hidden unless it says otherwise (engine/report/instructor-checks.ts)
      extra = { json: { ...j, checks: j.checks.map(x => ({ visibility: "hidden", ...(x as object) })) }, scenarios: c.source.scenarios };
    }
    const l = r.lesson, root = resolve(v.out);
    const starter = join(root, "starter"), gs = join(root, "gradescope"), pl = join(root, "prairielearn", l.id);

    // the student graders: plain for the template (its workflow has the registry), bundled for
    // the platforms whose grading containers may have none
    const plain = packGrader({ student: true, bundle: false, lessons: [l.id], outDir: join(starter, ".grader"), lessonsDir });
    if (!plain.ok) { process.stderr.write(`assignment: ${plain.message}\n`); return plain.message.startsWith("npm pack") ? 3 : 2; }
    const bundled = packGrader({ student: true, bundle: true, lessons: [l.id], outDir: gs, lessonsDir });
    if (!bundled.ok) { process.stderr.write(`assignment: ${bundled.message}\n`); return bundled.message.startsWith("npm pack") ? 3 : 2; }
    const bundleName = basename(bundled.file);
    writeFile(join(pl, "tests", bundleName), readFileSync(bundled.file));

    let hidden: ChecksFolder = bundled.hidden[l.id] ?? { json: { lesson: l.id, checks: [] }, scenarios: {} };
    if (extra) {
      const m = mergeChecksFolders(hidden, extra);
      if (!m.ok) { process.stderr.write(`assignment: ${m.message}\n`); return 2; }
      hidden = m.folder;
    }
    const teacher = join(root, "teacher");
    if (hidden.json.checks.length > 0) {
      writeChecksFolder(join(gs, "checks"), hidden);
      writeChecksFolder(join(pl, "tests", "checks"), hidden);
      writeChecksFolder(join(teacher, "checks"), hidden);
    }
    if (!v.grader) writeFile(join(teacher, ".grader", bundleName), readFileSync(bundled.file));

    const forTemplate: GraderSource = v.grader ? { spec: v.grader } : { tarball: `.grader/${basename(plain.file)}` };
    const forGradescope: GraderSource = v.grader ? { spec: v.grader } : { tarball: bundleName };
    for (const [f, text] of Object.entries(l.starter)) {
      writeFile(join(starter, f), text);
      writeFile(join(pl, f), text);
    }
    writeFile(join(starter, "README.md"), studentReadme(l, forTemplate));
    writeFile(join(starter, ".github", "workflows", "classroom.yml"), classroomWorkflow(l, forTemplate));
    writeFile(join(starter, ".gitignore"), "node_modules/\n.prefault/\n");
    writeFile(join(teacher, ".github", "workflows", "grade-class.yml"),
      classGradingWorkflow({ lesson: l.id, graderSpec: v.grader ?? `${"$"}{{ github.workspace }}/.grader/${bundleName}` }));
    writeFile(join(gs, "setup.sh"), gradescopeSetup(forGradescope), 0o755);
    writeFile(join(gs, "run_autograder"), gradescopeRun(l), 0o755);
    writeFile(join(root, "gradescope.zip"), zipSync(zipEntries(gs), { level: 9, mtime: new Date("2000-01-01T00:00:00Z") }));
    writeFile(join(pl, "info.json"), prairielearnInfo(l));
    writeFile(join(pl, "question.html"), prairielearnQuestion(l));
    writeFile(join(pl, "tests", "run.sh"), prairielearnRun(l, bundleName), 0o755);
    const rel = (p: string) => relative(process.cwd(), p) || p;
    process.stdout.write([
      `lesson ${l.id}: ${hidden.json.checks.length} hidden check(s)`,
      `  ${rel(starter)}/  GitHub Classroom template repository (what students get; no hidden check)`,
      `  ${rel(join(root, "gradescope.zip"))}  Gradescope autograder (upload as the assignment's autograder)`,
      `  ${rel(pl)}/  PrairieLearn question (copy into your course's questions/)`,
      `  ${rel(teacher)}/  your private repository: grades a class in shards (Actions, "Run workflow")`,
      "",
    ].join("\n"));
    return 0;
  },
};
