// cli/main.ts: the `prefault` command. Subcommands are the modules in dist/cli/commands/*.js,
// each exporting `command = { name, summary, usage, run(argv): Promise<number> }`, so adding a
// command means adding a file. Exit codes: 0 ok, 1 a check or expectation failed, 2 bad input
// (usage, unreadable or invalid files, compile errors), 3 an internal error.
// Called by bin/prefault.js.

import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS_DIR = new URL("./commands/", import.meta.url);

// file stems of the command modules, sorted
function commandFiles(): string[] {
  try {
    return readdirSync(fileURLToPath(COMMANDS_DIR)).filter(f => f.endsWith(".js")).map(f => f.slice(0, -3)).sort();
  } catch { return []; }
}

// the command exported by module `stem`, or the reason it cannot be loaded
async function loadCommand(stem: string): Promise<Command | string> {
  try {
    const m = await import(new URL(`${stem}.js`, COMMANDS_DIR).href) as { command?: Command };
    const c = m.command;
    if (!c || typeof c.run !== "function" || typeof c.name !== "string") return `${stem}.js exports no command`;
    return c;
  } catch (e) {
    return `${stem}.js failed to load: ${(e as Error).message}`;
  }
}

/** All loadable commands, sorted by name, and the problems of those that are not. */
export async function loadCommands(): Promise<{ commands: Command[]; problems: string[] }> {
  const commands: Command[] = [], problems: string[] = [];
  for (const stem of commandFiles()) {
    const c = await loadCommand(stem);
    if (typeof c !== "string") commands.push(c);
    else if (!c.endsWith("exports no command")) problems.push(c);   // helper modules may live here too
  }
  commands.sort((a, b) => a.name.localeCompare(b.name));
  return { commands, problems };
}

function helpText(commands: Command[]): string {
  const w = Math.max(4, ...commands.map(c => c.name.length));
  return [
    "prefault: a WebAssembly teaching sandbox for Linux memory management (vvar_fault, page faults, mlockall)",
    "",
    "usage: prefault <command> [options]      prefault <command> --help",
    "",
    "commands:",
    ...commands.map(c => `  ${c.name.padEnd(w)}  ${c.summary}`),
    "",
    "exit codes: 0 ok, 1 an expectation or check failed, 2 bad input, 3 internal error",
  ].join("\n");
}

// A reader that goes away (`prefault lesson show ID | head -3`) closes the pipe under us: Node
// reports the write's EPIPE as an 'error' event, which unhandled kills the process with a stack
// trace. The rest of the output is dropped (the stream is destroyed, later writes are no-ops) and
// the command runs to its end, so its exit code still says how it went.
let pipesWatched = false;
function dropOutputOnClosedPipe(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const s of [process.stdout, process.stderr]) {
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") { s.destroy(); return; }
      throw e;
    });
  }
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  dropOutputOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const { commands, problems } = await loadCommands();
    const text = helpText(commands);
    if (name === undefined) { process.stderr.write(text + "\n"); return 2; }
    process.stdout.write(text + "\n");
    for (const p of problems) process.stderr.write(`prefault: note: ${p}\n`);
    return 0;
  }
  if (name === "--version" || name === "-V") {
    const { packageJson } = await import("./node-paths.js");
    process.stdout.write((packageJson().version ?? "unknown") + "\n");
    return 0;
  }
  let cmd: Command | undefined;
  if (/^[a-z][a-z0-9-]*$/.test(name) && commandFiles().includes(name)) {
    const c = await loadCommand(name);
    if (typeof c === "string") { process.stderr.write(`prefault: ${c}\n`); return 3; }
    if (c.name === name) cmd = c;
  }
  if (!cmd) cmd = (await loadCommands()).commands.find(c => c.name === name);
  if (!cmd) {
    const { commands } = await loadCommands();
    process.stderr.write(`prefault: unknown command "${name}"\n\n${helpText(commands)}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${cmd.name}: ${cmd.summary}\n\nusage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    process.stderr.write(`prefault ${cmd.name}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 3;
  }
}
