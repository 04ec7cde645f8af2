// The generated header module must hold exactly the text of learner/kernel.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { KERNEL_HEADER_TS } from "../../engine/generated/kernel-header.js";

test("engine/generated/kernel-header.ts is in sync with learner/kernel.ts (run scripts/gen-header.mjs)", () => {
  const text = readFileSync(new URL("../../../learner/kernel.ts", import.meta.url), "utf8");
  assert.equal(KERNEL_HEADER_TS, text);
});
