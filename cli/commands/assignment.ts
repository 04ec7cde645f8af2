// cli/commands/assignment.ts: `prefault assignment`, a lesson set as a class assignment.
//
//   prefault assignment --lesson ID --out DIR [--checks DIR] [--grader SPEC]
//
//   DIR/
//     starter/                          the repository students clone (GitHub Classroom template)
//       datastore.ts                    the lesson's editable files, as the starter has them
//       README.md                       the lesson text, how to check locally, how grading works
//       .github/workflows/classroom.yml runs the grader, reports points to the classroom reporter
//       .gitignore
//     gradescope/                       the Gradescope autograder (upload gradescope.zip)
//       setup.sh                        installs Node 20 and the grader on Gradescope's Ubuntu image
//       run_autograder                  grades /autograder/submission -> results/results.json
//       checks/                         the instructor's hidden checks (when --checks is given)
//     gradescope.zip                    the same folder zipped, files at the root as Gradescope wants
//
// The grader is installed with `npm install SPEC`, default `prefault@<this version>`; pass
// --grader with a git URL or tarball when the package is not on a registry. Hidden checks go
// only into the Gradescope bundle: a GitHub Classroom repository is readable by its student.

import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { zipSync } from "fflate";
import { DEFAULT_LESSONS_DIR, nodeFolder, packageJson } from "../node-paths.js";
import { LESSON_ID, loadLessonFolder } from "../../engine/lesson-folder.js";
import { parseCommandArgs } from "../args.js";

/** The package's own version, for the default grader spec. */
function packageVersion(): string {
  return packageJson().version ?? "latest";
}

/** What the kit needs of a lesson, read from lessons/<id>/. */
interface KitLesson { id: string; title: string; summary: string; readme: string; editable: string[]; starter: Record<string, string> }

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
  return { ok: true, lesson: { id, title: l.title, summary: l.summary, readme: l.readme, editable: l.files.editable, starter } };
}

/** A single-quoted shell word. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The student README: the lesson text, then how to check and how grading works. */
export function studentReadme(l: KitLesson, graderSpec: string): string {
  const files = l.editable.join(" ");
  return [
    `# ${l.title}`,
    "",
    `> Prefault assignment: lesson \`${l.id}\`. Edit ${l.editable.map(f => `\`${f}\``).join(", ")} and push.`,
    "",
    l.readme.trim() === "" ? l.summary : l.readme.trim(),
    "",
    "## Checking your work",
    "",
    "Run the same grader your teacher uses (Node 20 or later):",
    "",
    "```sh",
    `npm install --no-save --prefix .prefault ${shq(graderSpec)}`,
    `.prefault/node_modules/.bin/prefault grade --lesson ${l.id} ${files}`,
    "```",
    "",
    "Each check prints `OK` or `FAIL`; a failure says why, in kernel terms. The last lines are",
    "your score and `N passed, N failed`.",
    "",
    "## How this is graded",
    "",
    "Every push runs the grader on GitHub (the *Autograding Tests* workflow) and records your",
    "points. Your teacher may also run checks you cannot see: their result is shown, their",
    "details only after the due date.",
    "",
  ].join("\n");
}

/** The GitHub Actions workflow. GitHub Classroom requires this workflow name and this one job
 *  name (autograding-grading-reporter README); the reporter reads env PREFAULT_RESULTS for the
 *  runner id "prefault". */
export function classroomWorkflow(l: KitLesson, graderSpec: string): string {
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
    "        uses: actions/checkout@v4",
    "      - name: Set up Node",
    "        uses: actions/setup-node@v4",
    "        with:",
    "          node-version: 20",
    "      - name: Install the Prefault grader",
    "        env:",
    `          PREFAULT_SPEC: ${JSON.stringify(graderSpec)}`,
    "        run: npm install --no-save --no-audit --no-fund --prefix \"$RUNNER_TEMP/prefault\" \"$PREFAULT_SPEC\"",
    "      - name: Grade",
    "        id: prefault",
    "        run: |",
    `          PREFAULT="$RUNNER_TEMP/prefault/node_modules/.bin/prefault"`,
    `          "$PREFAULT" grade --lesson ${l.id} ${files} --format text || true`,
    `          "$PREFAULT" grade --lesson ${l.id} ${files} --format github --base64 --out "$RUNNER_TEMP/result.b64" || true`,
    `          echo "result=$(cat "$RUNNER_TEMP/result.b64")" >> "$GITHUB_OUTPUT"`,
    "      - name: Autograding Reporter",
    "        uses: classroom-resources/autograding-grading-reporter@v1",
    "        env:",
    "          PREFAULT_RESULTS: \"${{ steps.prefault.outputs.result }}\"",
    "        with:",
    "          runners: prefault",
    "",
  ].join("\n");
}

/** Gradescope's setup.sh (runs once, as root, on its Ubuntu base image, when the autograder is built). */
export function gradescopeSetup(graderSpec: string): string {
  return [
    "#!/usr/bin/env bash",
    "# Gradescope autograder setup for a Prefault lesson: Node 20 and the grader.",
    "set -euo pipefail",
    "if ! command -v node >/dev/null || [ \"$(node -p 'process.versions.node.split(\".\")[0]')\" -lt 20 ]; then",
    "  apt-get update",
    "  apt-get install -y ca-certificates curl gnupg",
    "  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -",
    "  apt-get install -y nodejs",
    "fi",
    `npm install --no-save --no-audit --no-fund --prefix /autograder/prefault ${shq(graderSpec)}`,
    "",
  ].join("\n");
}

/** Gradescope's run_autograder: finds the editable files anywhere in the submission (uploads
 *  and GitHub submissions nest folders), grades, and always leaves a results.json. AUTOGRADER
 *  and PREFAULT may be overridden (tests run it outside Gradescope). */
export function gradescopeRun(l: KitLesson, withChecks: boolean): string {
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
    "cd \"$WORK\"",
    `"$PREFAULT" grade --lesson ${l.id}${withChecks ? " --checks \"$AUTOGRADER/source/checks\"" : ""} ${l.editable.join(" ")} --format gradescope --out "$RESULTS"`,
    "status=$?",
    "if [ ! -s \"$RESULTS\" ]; then",
    "  printf '{\"score\": 0, \"output\": \"The grader failed (exit %s). Your instructor has been told.\\\\n\", \"tests\": []}\\n' \"$status\" > \"$RESULTS\"",
    "fi",
    "exit 0",
    "",
  );
  return lines.join("\n");
}

/** Every file under dir, as zip entries keyed by their path relative to dir ("/" separators). */
function zipEntries(dir: string, base = dir, out: Record<string, [Uint8Array, { mode?: number; os?: number; attrs?: number }]> = {}) {
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

function write(path: string, text: string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mode !== undefined) chmodSync(path, mode);
}

export const command = {
  name: "assignment",
  summary: "write a starter repository (GitHub Classroom) and a Gradescope autograder for a lesson",
  usage: "prefault assignment --lesson ID --out DIR [--checks DIR] [--grader NPM_SPEC] [--lessons-dir DIR]",
  async run(argv: string[]): Promise<number> {
    const p = parseCommandArgs(argv, {
      lesson: { type: "string" }, out: { type: "string", short: "o" }, checks: { type: "string" },
      grader: { type: "string" }, "lessons-dir": { type: "string" },
    });
    if (!p.ok) { process.stderr.write(`assignment: ${p.message}\nusage: ${command.usage}\n`); return 2; }
    const { lesson: lessonId, out, checks } = p.values;
    const grader = p.values.grader ?? `prefault@${packageVersion()}`, lessonsDir = p.values["lessons-dir"] ?? DEFAULT_LESSONS_DIR;
    if (!lessonId || !out || !grader) { process.stderr.write(`assignment: --lesson and --out are required\nusage: ${command.usage}\n`); return 2; }
    const r = readLesson(lessonsDir, lessonId);
    if (!r.ok) { process.stderr.write(`assignment: ${r.message}\n`); return 2; }
    if (checks !== undefined && !existsSync(join(checks, "checks.json"))) {
      process.stderr.write(`assignment: ${checks} has no checks.json\n`); return 2;
    }
    const l = r.lesson, root = resolve(out);
    const starter = join(root, "starter"), gs = join(root, "gradescope");
    for (const [f, text] of Object.entries(l.starter)) write(join(starter, f), text);
    write(join(starter, "README.md"), studentReadme(l, grader));
    write(join(starter, ".github", "workflows", "classroom.yml"), classroomWorkflow(l, grader));
    write(join(starter, ".gitignore"), "node_modules/\n.prefault/\n");
    write(join(gs, "setup.sh"), gradescopeSetup(grader), 0o755);
    write(join(gs, "run_autograder"), gradescopeRun(l, checks !== undefined), 0o755);
    if (checks !== undefined) cpSync(checks, join(gs, "checks"), { recursive: true });
    writeFileSync(join(root, "gradescope.zip"), zipSync(zipEntries(gs), { level: 9, mtime: new Date("2000-01-01T00:00:00Z") }));
    process.stdout.write(`wrote ${relative(process.cwd(), starter) || starter}/ (student repository) and ` +
      `${relative(process.cwd(), join(root, "gradescope.zip"))} (Gradescope autograder) for lesson ${l.id}\n`);
    return 0;
  },
};
