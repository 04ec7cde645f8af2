// engine/validate.ts: is this JSON a scenario the engine can run?
//
// Two passes: the JSON Schema (engine/schema/scenario.schema.json, compiled ahead of time by ajv
// into engine/generated/scenario-validator.ts), then the checks a
// schema cannot express (tasks exist before they are used, names are unique, namespaces exist).
// Every failure names the JSON pointer of the bad field, e.g.
//   /steps/3/clock: must be one of CLOCK_REALTIME, CLOCK_MONOTONIC, ...
// Callers: cli/commands/run.ts, the lessons checker, the web app.

import type { ErrorObject } from "ajv";
import schema from "./schema/scenario.schema.json" with { type: "json" };
import { validate as schemaValidate } from "./generated/scenario-validator.js";
import type { Scenario, Step } from "./types.js";

export type ValidateResult =
  | { ok: true; scenario: Scenario }
  | { ok: false; error: { kind: "invalid"; path: string; message: string } };

// the schema, compiled ahead of time by ajv (scripts/gen-validator.mjs): no schema compiler at run time
const schemaValidator = schemaValidate as unknown as { (data: unknown): boolean; errors?: ErrorObject[] | null };

/** Validates `json` (parsed JSON) as a Scenario. Returns it typed, or the first problem with its
 *  JSON pointer (`path`) and a message that starts with that pointer. Never throws. */
export function validateScenario(json: unknown): ValidateResult {
  const v = schemaValidator;
  if (!v(json)) {
    const e = pickError(v.errors ?? []);
    return invalid(e.path, e.message);
  }
  const scenario = json as Scenario;
  const problem = checkSemantics(scenario.steps);
  return problem ? invalid(problem.path, problem.message) : { ok: true, scenario };
}

function invalid(path: string, message: string): ValidateResult {
  return { ok: false, error: { kind: "invalid", path, message: `${path || "/"}: ${message}` } };
}

// ajv error -> {path, message} in our words; the most specific error first
function pickError(errors: ErrorObject[]): { path: string; message: string } {
  const e = errors[0];
  if (!e) return { path: "", message: "not a valid scenario" };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "enum":
      return { path: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map(v => String(v)).join(", ")}` };
    case "const":
      return { path: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case "additionalProperties":
      return { path: `${e.instancePath}/${String(p.additionalProperty)}`, message: `unknown field "${String(p.additionalProperty)}"` };
    case "required":
      return { path: `${e.instancePath}/${String(p.missingProperty)}`, message: `required field "${String(p.missingProperty)}" is missing` };
    case "discriminator": {
      const ops = (schema.definitions.step.oneOf as { properties: { op: { const: string } } }[]).map(b => b.properties.op.const);
      return p.error === "mapping"
        ? { path: `${e.instancePath}/op`, message: `must be one of ${ops.join(", ")}` }
        : { path: `${e.instancePath}/op`, message: `a step needs an "op", one of ${ops.join(", ")}` };
    }
    case "not":
      return { path: e.instancePath, message: `"root" is the initial namespace; choose another name` };
    case "pattern":
      return { path: e.instancePath, message: "must be a name of letters, digits, '_', '.' or '-'" };
    default:
      return { path: e.instancePath, message: e.message ?? "is invalid" };
  }
}

/** The checks beyond the schema, over steps already valid by the schema: every task a step
 *  names was spawned (or forked, or created as a thread) earlier; new task names are unique;
 *  `target` names an existing task; setns names "root" or a namespace unshared earlier; a
 *  namespace name is unshared once. Returns the first problem, or undefined. */
export function checkSemantics(steps: Step[]): { path: string; message: string } | undefined {
  const tasks = new Set<string>();
  const namespaces = new Set<string>(["root"]);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const at = (field: string) => `/steps/${i}/${field}`;
    const creates = (name: string, field: string) => {
      if (tasks.has(name)) return { path: at(field), message: `task "${name}" already exists; task names must be unique` };
      tasks.add(name);
      return undefined;
    };
    if (s.op === "spawn") {
      const p = creates(s.task, "task"); if (p) return p;
      continue;
    }
    if (s.task !== undefined && !tasks.has(s.task)) {
      return { path: at("task"), message: `task "${s.task}" is used before it is spawned` };
    }
    let p: { path: string; message: string } | undefined;
    switch (s.op) {
      case "fork": case "vfork_exec": p = creates(s.child, "child"); break;
      case "thread": if (s.thread !== undefined) p = creates(s.thread, "thread"); break;
      case "remote_read": case "remote_write":
        if (!tasks.has(s.target)) p = { path: at("target"), message: `target "${s.target}" is not a task spawned earlier` };
        break;
      case "unshare_timens":
        if (namespaces.has(s.ns)) p = { path: at("ns"), message: `time namespace "${s.ns}" already exists` };
        namespaces.add(s.ns);
        break;
      case "setns":
        if (!namespaces.has(s.ns)) p = { path: at("ns"), message: `no time namespace "${s.ns}": use "root" or a name given to an earlier unshare_timens` };
        break;
    }
    if (p) return p;
  }
  return undefined;
}
