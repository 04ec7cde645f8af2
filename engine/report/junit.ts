// engine/report/junit.ts: JUnit XML, in the shape Jenkins, GitLab and most CI reporters read
// (validated against tests/report/junit.xsd).
//
//   <testsuites name=.. tests= failures= errors= skipped="0">
//     <testsuite name="<lesson>" tests= failures= errors= skipped="0">
//       <properties><property name="score" value=".."/>...</properties>
//       <testcase classname="<lesson>" name=".."/>                    pass
//       <testcase ...><failure message=".." type="check">..</failure>  fail
//       <testcase ...><error message=".." type="error">..</error>      error
//       <system-err>compile diagnostics</system-err>
//
// No time or timestamp attributes: reports carry no wall-clock values.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { errorLines, fmtPoints, oneLine, testsOrBuildError, xmlAttr, xmlText } from "./util.js";

/** The XML document (UTF-8, trailing newline). Hidden details redacted unless opts.reveal. */
export function emitJunit(report: Report, opts: EmitOptions = {}): string {
  const r = redactReport(report, opts.reveal === true);
  const tests = testsOrBuildError(r);
  const failures = tests.filter(t => t.status === "fail").length;
  const errors = tests.filter(t => t.status === "error").length;
  const counts = `tests="${tests.length}" failures="${failures}" errors="${errors}" skipped="0"`;
  const suite = xmlAttr(r.lesson);
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="prefault" ${counts}>`,
    `  <testsuite name="${suite}" ${counts}>`,
    `    <properties>`,
    `      <property name="score" value="${fmtPoints(r.score)}"/>`,
    `      <property name="max_score" value="${fmtPoints(r.max_score)}"/>`,
    `      <property name="status" value="${r.status}"/>`,
    `    </properties>`,
  ];
  for (const t of tests) {
    const open = `    <testcase classname="${suite}" name="${xmlAttr(t.name)}"`;
    const points = `points: ${fmtPoints(t.score)}/${fmtPoints(t.max_score)}`;
    if (t.status === "pass") { out.push(`${open}/>`); continue; }
    const tag = t.status === "fail" ? "failure" : "error";
    const summary = oneLine(t.message).slice(0, 200) || t.status;
    out.push(`${open}>`);
    out.push(`      <${tag} message="${xmlAttr(summary)}" type="${t.status === "fail" ? "check" : "error"}">${xmlText(`${t.message}\n${points}`)}</${tag}>`);
    out.push(`    </testcase>`);
  }
  const errs = errorLines(r);
  if (errs.length > 0) out.push(`    <system-err>${xmlText(errs.join("\n"))}</system-err>`);
  out.push(`  </testsuite>`, `</testsuites>`);
  return out.join("\n") + "\n";
}
