// cli/class-workflow.ts: the GitHub Actions workflow that grades a whole class in N shards
// (written by `prefault assignment` as teacher/.github/workflows/grade-class.yml).
//
//   grade (matrix shard 1..N)  prefault grade-all --shard K/N  ->  artifact class-shard-K
//   merge (after all of them)  prefault merge-reports          ->  artifact class-report
//                                                                 (class.json, class.csv, class.html)
//
// It runs by hand (Actions tab, "Run workflow") in the teacher's repository, whose folder
// `submissions/` (or the one given) holds one folder per student. A `checks/` folder with a
// checks.json adds the instructor's hidden checks. merge-reports fails the run when a shard is
// missing, so an incomplete class is never reported as whole.

import { NODE_LTS } from "./node-lts.js";

/** Actions on the node24 runtime (the node20 one is gone from GitHub's runners in 2026). */
export const WORKFLOW_ACTIONS = {
  checkout: "actions/checkout@v7",
  setupNode: "actions/setup-node@v7",
  upload: "actions/upload-artifact@v7",
  download: "actions/download-artifact@v7",
};

/** The Node release the workflow grades on: the current Active LTS (cli/node-lts.ts). */
export const WORKFLOW_NODE = String(NODE_LTS);

export interface ClassWorkflowOptions {
  lesson: string;
  /** what `npm install` installs as the grader (a version, a tarball path in the repo, a URL) */
  graderSpec: string;
  /** number of shards, 1..256 (default 4) */
  shards?: number;
}

const q = (s: string) => JSON.stringify(s);    // a YAML double-quoted scalar (JSON strings are valid YAML)

/** The workflow's YAML text. Pure. Throws on a shard count outside 1..256 (a caller bug). */
export function classGradingWorkflow(o: ClassWorkflowOptions): string {
  const n = o.shards ?? 4;
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`classGradingWorkflow: shards must be 1..256 (got ${n})`);
  const install = [
    "      - name: Install the Prefault grader",
    "        run: |",
    "          npm install --no-save --no-audit --no-fund --prefix \"$RUNNER_TEMP/prefault\" \"$PREFAULT_SPEC\"",
    "          echo \"PREFAULT=$RUNNER_TEMP/prefault/node_modules/.bin/prefault\" >> \"$GITHUB_ENV\"",
  ];
  const setup = [
    "      - name: Checkout",
    `        uses: ${WORKFLOW_ACTIONS.checkout}`,
    "      - name: Set up Node",
    `        uses: ${WORKFLOW_ACTIONS.setupNode}`,
    "        with:",
    `          node-version: ${q(WORKFLOW_NODE)}`,
    ...install,
  ];
  return [
    `# Grades every student folder of ${o.lesson} in ${n} parallel shards and joins the results.`,
    "# Run it from the Actions tab (\"Run workflow\"); the report is the artifact class-report.",
    "name: Grade the class",
    "on:",
    "  workflow_dispatch:",
    "    inputs:",
    "      submissions:",
    "        description: folder holding one folder per student",
    "        required: true",
    "        default: submissions",
    "permissions:",
    "  contents: read",
    "env:",
    `  LESSON: ${q(o.lesson)}`,
    `  SHARDS: ${q(String(n))}`,
    `  PREFAULT_SPEC: ${q(o.graderSpec)}`,
    "jobs:",
    "  grade:",
    "    name: Grade shard ${{ matrix.shard }}",
    "    runs-on: ubuntu-latest",
    "    strategy:",
    "      fail-fast: false",
    "      matrix:",
    `        shard: [${Array.from({ length: n }, (_, i) => i + 1).join(", ")}]`,
    "    steps:",
    ...setup,
    "      - name: Grade",
    "        env:",
    "          SHARD: ${{ matrix.shard }}",
    "          SUBMISSIONS: ${{ inputs.submissions }}",
    "        run: |",
    "          mkdir -p shard",
    "          checks=()",
    "          if [ -f checks/checks.json ]; then checks=(--checks checks); fi",
    "          \"$PREFAULT\" grade-all --lesson \"$LESSON\" \"$SUBMISSIONS\" --shard \"$SHARD/$SHARDS\" \"${checks[@]}\" --out \"shard/part-$SHARD.json\"",
    "      - name: Keep the shard's report",
    `        uses: ${WORKFLOW_ACTIONS.upload}`,
    "        with:",
    "          name: class-shard-${{ matrix.shard }}",
    "          path: shard/part-${{ matrix.shard }}.json",
    "          if-no-files-found: error",
    "  merge:",
    "    name: Merge the shards",
    "    needs: grade",
    "    if: ${{ !cancelled() }}",
    "    runs-on: ubuntu-latest",
    "    steps:",
    ...setup,
    "      - name: Fetch the shards' reports",
    `        uses: ${WORKFLOW_ACTIONS.download}`,
    "        with:",
    "          pattern: class-shard-*",
    "          merge-multiple: true",
    "          path: parts",
    "      - name: Merge",
    "        run: |",
    "          \"$PREFAULT\" merge-reports parts/part-*.json --out class.json",
    "          \"$PREFAULT\" merge-reports parts/part-*.json --out class.csv",
    "          \"$PREFAULT\" merge-reports parts/part-*.json --out class.html",
    "      - name: Keep the class report",
    `        uses: ${WORKFLOW_ACTIONS.upload}`,
    "        with:",
    "          name: class-report",
    "          path: |",
    "            class.json",
    "            class.csv",
    "            class.html",
    "",
  ].join("\n");
}
