// tests/report/junit-xsd.test.ts: the junit and surefire reports against the schemas their
// readers publish (tests/report/xsd/, kept unchanged under their licences), validated with
// xmllint-wasm (libxml2):
//   junit    -> Jenkins xunit junit-10.xsd and the Apache Ant JUnit XSD
//   surefire -> Maven Surefire's surefire-test-report.xsd and Jenkins xunit junit-10.xsd
// for every fixture report, plus proof that each schema rejects what it should.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { validateXML } from "xmllint-wasm";
import { emitReport } from "../../engine/report/index.js";
import { ALL_FIXTURES, compileErrorReport, mixedReport, outcomesReport } from "./fixtures.js";

const xsd = (name: string) => readFileSync(new URL(`../../../tests/report/xsd/${name}`, import.meta.url), "utf8");
const SCHEMAS = { jenkins: xsd("jenkins-xunit-junit-10.xsd"), ant: xsd("ant-junit.xsd"), surefire: xsd("surefire-test-report.xsd") };
const FIXTURES: [string, () => ReturnType<typeof mixedReport>][] = [...ALL_FIXTURES, ["outcomes", outcomesReport]];

async function validate(xml: string, schema: keyof typeof SCHEMAS) {
  const v = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [SCHEMAS[schema]] });
  return { valid: v.valid, errors: v.errors.map(e => e.rawMessage).join("\n") };
}

for (const [format, schemas] of [["junit", ["jenkins", "ant"]], ["surefire", ["surefire", "jenkins"]]] as const) {
  for (const schema of schemas) {
    test(`${format}: valid against the ${schema} XSD for every fixture`, async () => {
      for (const [name, mk] of FIXTURES) {
        for (const reveal of [false, true]) {
          const v = await validate(emitReport(mk(), format, { reveal }), schema);
          assert.ok(v.valid, `${name}${reveal ? " (revealed)" : ""}: ${v.errors}`);
        }
      }
    });
  }
}

test("junit: counts, error vs failure, no hidden details, no forbidden characters", () => {
  const xml = emitReport(mixedReport(), "junit");
  assert.match(xml, /<testsuites>\n  <testsuite name="02-mlockall" package="prefault" id="0" tests="5" failures="2" errors="1" skipped="0" time="0"/);
  assert.ok(!xml.includes("SECRET"));
  assert.ok(!/[\u0001\u0007]/.test(xml));
  const out = emitReport(outcomesReport(), "junit");
  assert.equal((out.match(/<error /g) ?? []).length, 4);
  assert.equal((out.match(/<failure /g) ?? []).length, 1);
  assert.match(out, /<error message="soft lockup: vvar_fault\(\) did not return \(it ran 20,000,000 [^"]*\(in step 1 of scenario control-loop\)" type="timeout">/);
  assert.match(out, /<error message="The kernel oopsed in step 1[^"]*" type="oops">/);
  const ce = emitReport(compileErrorReport(), "junit");
  assert.match(ce, /tests="1" failures="0" errors="1"/);
  assert.match(ce, /<system-err>datastore\.ts:4:12: TS1109/);
});

test("the schemas are not vacuous: each rejects a report it should", async () => {
  const junit = emitReport(mixedReport(), "junit");
  assert.equal((await validate(junit.replace("<testsuites>", '<testsuites skipped="0">'), "jenkins")).valid, false);
  assert.equal((await validate(junit.replace(/ time="0"\/>/, "/>"), "ant")).valid, false);
  assert.equal((await validate(junit.replace(' hostname="localhost"', ""), "ant")).valid, false);
  const surefire = emitReport(mixedReport(), "surefire");
  assert.equal((await validate(surefire.replace(/(<testcase [^>]*) time="0"/, "$1"), "surefire")).valid, false);
  assert.equal((await validate(surefire.replace(' skipped="0"', ""), "surefire")).valid, false);
  assert.equal((await validate(junit, "surefire")).valid, false);   // a <testsuites> document is not Surefire's
});
