// cli/args.ts: the one argument parser of the `prefault` commands, over node:util parseArgs.
// Every command declares its options once; this gives all of them the same rules:
//   --flag value and --flag=value both work; a short form (-o) where one is declared;
//   every old spelling of an option is an alias of it (--deadline and --deadline-ms);
//   an option missing its value, an unknown option or a stray argument is a usage error,
//   which the command reports with its usage line and exit code 2.
import { parseArgs } from "node:util";

/** One option: a string (takes a value) or a boolean flag, its aliases and short letter. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** other long names for the same option, without the dashes */
  aliases?: string[];
  /** a string option that may be given more than once (every value is kept, in order) */
  multiple?: boolean;
}

export type OptionsSpec = Record<string, OptionSpec>;

type Values<S extends OptionsSpec> = {
  [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean : S[K]["multiple"] extends true ? string[] : string;
};

export type Parsed<S extends OptionsSpec> = { ok: true; values: Values<S>; positionals: string[] } | { ok: false; message: string };

/** Parses `argv` against `spec`. `positionals` is how many plain arguments are allowed
 *  (Infinity for any number, default 0). Never throws: a usage problem is {ok:false, message}. */
export function parseCommandArgs<S extends OptionsSpec>(argv: string[], spec: S, positionals = 0): Parsed<S> {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  const canonical = new Map<string, string>();
  for (const [name, o] of Object.entries(spec)) {
    for (const n of [name, ...(o.aliases ?? [])]) {
      options[n] = { type: o.type, multiple: o.type === "string" ? true : false, ...(n === name && o.short ? { short: o.short } : {}) };
      canonical.set(n, name);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: false });
  } catch (e) {
    return { ok: false, message: usageMessage(e as Error & { code?: string }) };
  }
  const values: Record<string, unknown> = {};
  for (const [n, v] of Object.entries(parsed.values)) {
    const name = canonical.get(n)!;
    if (spec[name].type === "boolean") { values[name] = v; continue; }
    const list = [...((values[name] as string[] | undefined) ?? []), ...(v as string[])];
    values[name] = list;
  }
  for (const [name, o] of Object.entries(spec)) {
    if (o.type !== "string" || values[name] === undefined) continue;
    const list = values[name] as string[];
    if (!o.multiple) {
      if (list.length > 1) return { ok: false, message: `--${name} given more than once` };
      values[name] = list[0];
    }
  }
  if (parsed.positionals.length > positionals) {
    return { ok: false, message: `unexpected argument ${parsed.positionals[positionals]}` };
  }
  return { ok: true, values: values as Values<S>, positionals: parsed.positionals };
}

// node:util's error, in the words the commands have always used
function usageMessage(e: Error & { code?: string }): string {
  const opt = /'(?:-\w, )?(--?[\w-]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": return `unknown option ${opt ?? ""}`.trim();
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing|ambiguous/.test(e.message) ? `${opt ?? "an option"} needs a value` : `${opt ?? "an option"} takes no value`;
    default: return e.message;
  }
}

/** The integer value of option `name` (`text`), at least `min`; undefined when not given.
 *  A usage message when it is not such a number. */
export function intOption(name: string, text: string | undefined, min: number): { ok: true; value: number | undefined } | { ok: false; message: string } {
  if (text === undefined) return { ok: true, value: undefined };
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min) return { ok: false, message: `--${name} must be an integer of at least ${min} (got ${JSON.stringify(text)})` };
  return { ok: true, value: n };
}
