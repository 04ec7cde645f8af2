// engine/report/junit.ts: JUnit XML in two shapes, each valid against the schemas its readers
// publish (tests/report/xsd/: Jenkins xunit junit-10.xsd, the Apache Ant JUnit XSD, Maven
// Surefire's surefire-test-report.xsd):
//
//   junit     <testsuites> (no attributes) > one <testsuite name package id tests failures errors
//             skipped time timestamp hostname> > <properties>, <testcase>*, <system-out>,
//             <system-err>: Jenkins (junit, xunit), GitLab, the Ant XSD, most CI reporters.
//   surefire  one <testsuite name tests errors skipped failures time> > <properties>,
//             <testcase>*: what Maven Surefire writes (TEST-*.xml); Jenkins reads it too.
//
//   <testcase classname="<lesson>" name=".." time="0"/>                           pass
//   <testcase ...><failure message=".." type="assertion">..</failure></testcase>   fail
//   <testcase ...><error message=".." type="timeout|oops|compile|engine">..</error> error
//
// Reports carry no wall-clock values: every time is "0" and the timestamp the Unix epoch.

import type { Report } from "../types.js";
import { redactReport } from "./hidden.js";
import type { EmitOptions } from "./options.js";
import { classifyReport, errorLines, fmtPoints, oneLine, testsOrBuildError, xmlAttr, xmlText, type FailureReason } from "./util.js";

const EPOCH = "1970-01-01T00:00:00";

function body(report: Report, opts: EmitOptions, indent: string): { counts: { tests: number; failures: number; errors: number }; lines: string[] } {
  const classified = classifyReport(report);
  const r = redactReport(classified.report, opts.reveal === true);
  const tests = testsOrBuildError(r);
  const reasons: (FailureReason | undefined)[] = r.tests.length > 0 ? classified.reasons : ["compile"];
  const suite = xmlAttr(r.lesson);
  const lines = [
    `${indent}<properties>`,
    `${indent}  <property name="score" value="${fmtPoints(r.score)}"/>`,
    `${indent}  <property name="max_score" value="${fmtPoints(r.max_score)}"/>`,
    `${indent}  <property name="status" value="${r.status}"/>`,
    `${indent}</properties>`,
  ];
  tests.forEach((t, i) => {
    const open = `${indent}<testcase classname="${suite}" name="${xmlAttr(t.name)}" time="0"`;
    if (t.status === "pass") { lines.push(`${open}/>`); return; }
    const tag = t.status === "fail" ? "failure" : "error";
    const type = reasons[i] ?? (t.status === "fail" ? "assertion" : "engine");
    const summary = oneLine(t.message).slice(0, 200) || t.status;
    const points = `points: ${fmtPoints(t.score)}/${fmtPoints(t.max_score)}`;
    lines.push(`${open}>`,
      `${indent}  <${tag} message="${xmlAttr(summary)}" type="${type}">${xmlText(`${t.message}\n${points}`)}</${tag}>`,
      `${indent}</testcase>`);
  });
  return {
    counts: { tests: tests.length, failures: tests.filter(t => t.status === "fail").length, errors: tests.filter(t => t.status === "error").length },
    lines,
  };
}

/** The `junit` document (UTF-8, trailing newline). Hidden details redacted unless opts.reveal. */
export function emitJunit(report: Report, opts: EmitOptions = {}): string {
  const { counts, lines } = body(report, opts, "    ");
  const errs = errorLines(redactReport(report, opts.reveal === true));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites>`,
    `  <testsuite name="${xmlAttr(report.lesson)}" package="prefault" id="0" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="0" time="0" timestamp="${EPOCH}" hostname="localhost">`,
    ...lines,
    `    <system-out>${xmlText(`Score: ${fmtPoints(report.score)}/${fmtPoints(report.max_score)}`)}</system-out>`,
    `    <system-err>${xmlText(errs.join("\n"))}</system-err>`,
    `  </testsuite>`,
    `</testsuites>`,
  ].join("\n") + "\n";
}

/** The `surefire` document: one <testsuite>, as Maven Surefire writes it. */
export function emitSurefire(report: Report, opts: EmitOptions = {}): string {
  const { counts, lines } = body(report, opts, "  ");
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuite name="${xmlAttr(report.lesson)}" tests="${counts.tests}" errors="${counts.errors}" skipped="0" failures="${counts.failures}" time="0">`,
    ...lines,
    `</testsuite>`,
  ].join("\n") + "\n";
}
