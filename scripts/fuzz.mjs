// `npm run fuzz`: the fuzz test (tests/hardening/fuzz.test.ts) at scale, outside the default
// test run: PREFAULT_FUZZ_N handlers (default 4000) from seed PREFAULT_FUZZ_SEED (default 1),
// graded by the real pool. Prints the pass/fail/error/crash counts; exits non-zero when any
// handler crashed the grader, lost its row or broke a report invariant.
import { spawn } from "node:child_process";
const env = { ...process.env, PREFAULT_FUZZ_N: process.env.PREFAULT_FUZZ_N ?? "4000", PREFAULT_FUZZ_SEED: process.env.PREFAULT_FUZZ_SEED ?? "1" };
const child = spawn(process.execPath, ["--test", "--test-reporter=spec", "dist/tests/hardening/fuzz.test.js"], { stdio: "inherit", env });
child.on("close", code => process.exit(code ?? 1));
