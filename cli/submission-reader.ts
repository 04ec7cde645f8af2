// cli/submission-reader.ts: a submission's files read from disk by the rules of
// engine/submission.ts (regular files only, no symbolic link followed, a bounded read, UTF-8,
// zip archives unpacked). `prefault grade FILE|DIR`, `prefault grade-all` (each student folder)
// and so the kit's run_autograder all read through readSubmissionFiles(); `prefault run
// --datastore FILE` through readDatastoreFiles(), by the same rules.
//
// A read never blocks and never reads more than the cap: lstat first, then open with
// O_NOFOLLOW | O_NONBLOCK (a FIFO swapped in after the lstat cannot hang the open), fstat on the
// open descriptor (what is read is what was checked), and at most cap + 1 bytes read.
//
// Paths may be Buffers/Uint8Arrays: a class folder's entries are read by their bytes, so a
// name that is not UTF-8 is still found (engine/student-name.ts names it in reports).

import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { EngineError } from "../engine/types.js";
import {
  MAX_SOURCE_BYTES, MAX_ZIP_BYTES, checkFiles, decodeSource, filesFromZip, isZip, refuseKind, refuseSize, refuseUnreadable, type FileKind,
} from "../engine/submission.js";
import { studentName } from "../engine/student-name.js";

export type FsPath = string | Uint8Array;

/** The path as text for a message (bytes that are not UTF-8 escaped as student names are). */
export function shownPath(p: FsPath): string {
  return typeof p === "string" ? p : studentName(p);
}

/** A path node:fs takes (a Uint8Array arrives from a worker message without Buffer's type). */
export function fsPath(p: FsPath): string | Buffer {
  return typeof p === "string" || Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
}

/** `dir`/`name` for string or byte paths. */
export function joinPath(dir: FsPath, name: FsPath): FsPath {
  if (typeof dir === "string" && typeof name === "string") return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
  const enc = (x: FsPath) => (typeof x === "string" ? Buffer.from(x) : Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const d = enc(dir);
  return Buffer.concat([d, d[d.length - 1] === 0x2f ? Buffer.alloc(0) : Buffer.from("/"), enc(name)]);
}

/** What lstat/fstat says `st` is. */
export function fileKind(st: Stats): FileKind {
  return st.isFile() ? "file" : st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "directory" : st.isFIFO() ? "fifo"
    : st.isSocket() ? "socket" : st.isCharacterDevice() ? "char-device" : st.isBlockDevice() ? "block-device" : "other";
}

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? String((e as Error)?.message ?? e);
}

/** The bytes of regular file `path` (named `name` in messages), at most `cap` of them, or the
 *  refusal. ENOENT is returned as {missing: true}. Never follows a symbolic link, never blocks. */
export function readRegularFile(path: FsPath, name: string, cap: number):
    { ok: true; bytes: Uint8Array } | { ok: false; error: EngineError; missing?: boolean } {
  let st: Stats;
  try { st = lstatSync(fsPath(path)); } catch (e) {
    return { ok: false, error: refuseUnreadable(name, code(e)), missing: code(e) === "ENOENT" };
  }
  if (!st.isFile()) return { ok: false, error: refuseKind(name, fileKind(st)) };
  if (st.size > cap) return { ok: false, error: refuseSize(name, st.size) };
  let fd: number;
  try { fd = openSync(fsPath(path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK); }
  catch (e) { return { ok: false, error: code(e) === "ELOOP" ? refuseKind(name, "symlink") : refuseUnreadable(name, code(e)) }; }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) return { ok: false, error: refuseKind(name, fileKind(fst)) };
    const buf = Buffer.alloc(Math.min(cap, Math.max(0, fst.size)) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) return { ok: false, error: refuseSize(name, n) };  // grew past the cap while read
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return { ok: true, bytes: new Uint8Array(buf.buffer, buf.byteOffset, n) };
  } catch (e) {
    return { ok: false, error: refuseUnreadable(name, code(e)) };
  } finally { closeSync(fd); }
}

type Files = { ok: true; files: Record<string, string> } | { ok: false; error: EngineError };

const refuse = (path: string, message: string): EngineError => ({ kind: "invalid", path, message });

// one source file's contribution: a zip's editable files, or the file as `as`
function readSource(path: FsPath, name: string, as: string, editable: readonly string[]): Files & { missing?: boolean; zip?: boolean } {
  const r = readRegularFile(path, name, Math.max(MAX_SOURCE_BYTES, MAX_ZIP_BYTES));
  if (!r.ok) return r;
  if (isZip(r.bytes)) return { ...filesFromZip(name, r.bytes, editable), zip: true };
  const d = decodeSource(name, r.bytes);
  return d.ok ? { ok: true, files: { [as]: d.text } } : d;
}

// The submission's files as they are gathered, each with where it came from: one file given twice
// (two folders, two paths, a folder and a path) is refused rather than one copy silently winning.
class Gathered {
  readonly files: Record<string, string> = {};
  private readonly from = new Map<string, string>();
  add(files: Record<string, string>, origin: (name: string) => string): EngineError | undefined {
    for (const [k, v] of Object.entries(files)) {
      const before = this.from.get(k), now = origin(k);
      if (before !== undefined) return refuse(k, `${k} is given twice (${before} and ${now}); give each file once`);
      this.from.set(k, now);
      this.files[k] = v;
    }
    return undefined;
  }
}

// folders a search for nested files skips: hidden ones (.git), macOS zip leftovers, packages
const SKIPPED_FOLDER = (name: string) => name.startsWith(".") || name === "__MACOSX" || name === "node_modules";
const NESTED_DEPTH = 6, NESTED_ENTRIES = 10_000;

// the editable files below folder `dir` (not in it), by base name: each one's path (bytes, as a
// name need not be UTF-8) and its relative path as shown, found without following a link;
// undefined when the folder is too big to search
function findNested(dir: FsPath, editable: readonly string[]): Map<string, { path: FsPath; shown: string }[]> | undefined {
  const found = new Map<string, { path: FsPath; shown: string }[]>();
  let entries = 0;
  const walk = (d: FsPath, rel: string, depth: number): boolean => {
    let names: Buffer[];
    try { names = readdirSync(fsPath(d), { encoding: "buffer" }); } catch { return true; }
    for (const n of names.sort(Buffer.compare)) {
      if (++entries > NESTED_ENTRIES) return false;
      const name = studentName(n), path = joinPath(d, n), shown = rel ? `${rel}/${name}` : name;
      let st: Stats;
      try { st = lstatSync(fsPath(path)); } catch { continue; }
      if (st.isDirectory()) {
        if (depth < NESTED_DEPTH && !SKIPPED_FOLDER(name) && !walk(path, shown, depth + 1)) return false;
      } else if (rel && editable.includes(name)) found.set(name, [...(found.get(name) ?? []), { path, shown }]);
    }
    return true;
  };
  return walk(dir, "", 0) ? found : undefined;
}

// The editable files of folder `dir` (named `shown` in messages): those in it; with none there,
// its one zip archive unpacked; with no zip either, each editable file found once in a folder
// below it (an upload or a repository often nests one: lab1/datastore.ts), as the zip rules
// and Gradescope's run_autograder do. Two zips, or one file in two places, is refused.
function readFolder(dir: FsPath, shown: string, editable: readonly string[], into: Gathered): EngineError | undefined {
  const top: Record<string, string> = {};
  for (const f of editable) {
    const r = readSource(joinPath(dir, f), f, f, editable);
    if (!r.ok) { if (r.missing) continue; return r.error; }
    for (const [k, v] of Object.entries(r.files)) top[k] ??= v;
  }
  const at = (f: string) => `${shown}/${f}`;
  if (Object.keys(top).length) return into.add(top, at);
  let zips: Buffer[];
  try {
    zips = readdirSync(fsPath(dir), { encoding: "buffer" }).filter(n => n.toString("latin1").toLowerCase().endsWith(".zip")).sort(Buffer.compare);
  } catch (e) { return refuseUnreadable(shown, code(e)); }
  if (zips.length > 1) {
    const names = zips.map(z => studentName(z));
    return refuse(shown, `${shown} holds ${names.length} zip archives (${names.join(", ")}) and no ${editable.join(", ")}: hand in one`);
  }
  if (zips.length === 1) {
    const zipName = studentName(zips[0]);
    const r = readSource(joinPath(dir, zips[0]), zipName, "", editable);
    if (!r.ok) return r.error;
    return into.add(r.files, f => `${shown}/${zipName}:${f}`);
  }
  const nested = findNested(dir, editable);
  if (!nested) return refuse(shown, `${shown} holds no ${editable.join(", ")} and is too big to search (over ${NESTED_ENTRIES} entries)`);
  const files: Record<string, string> = {};
  for (const [f, found] of [...nested].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (found.length > 1) return refuse(f, `${shown} holds ${f} more than once (${found.map(x => x.shown).join(", ")}); hand in one`);
    const r = readSource(found[0].path, found[0].shown, f, []);
    if (!r.ok) return r.error;
    if (r.zip) return refuse(found[0].shown, `${found[0].shown} is a zip archive, not the source file`);
    Object.assign(files, r.files);
  }
  return into.add(files, f => `${shown}/${nested.get(f)![0].shown}`);
}

/** The submission's editable files: each path given, or, for a folder, the lesson's editable
 *  files in it (or nested in it: readFolder). A folder named on the command line may be a
 *  link; nothing in it is followed. A single file for a one-file lesson counts as that file
 *  whatever it is called (my-datastore.ts); several files are taken by name, and a name that is
 *  not one of the lesson's files is refused. A zip archive is unpacked. One file given twice is
 *  refused. `shown`: how each path is named in messages (a class folder's entries by their name
 *  in the folder, not the grading machine's absolute path). Missing files are left out: the
 *  grader reports them. Returns the files, or the one refusal that stops grading. */
export function readSubmissionFiles(editable: readonly string[], paths: FsPath[], shown?: readonly string[]): Files {
  const into = new Gathered();
  for (const [i, p] of paths.entries()) {
    const name = shown?.[i] ?? shownPath(p);
    let isDir = false;
    try { isDir = (typeof p === "string" ? statSync(p) : lstatSync(fsPath(p))).isDirectory(); } catch { /* read below says */ }
    if (isDir) {
      const err = readFolder(p, name, editable, into);
      if (err) return { ok: false, error: err };
      continue;
    }
    const as = paths.length === 1 && editable.length === 1 ? editable[0] : basename(name);
    const r = readSource(p, name, as, editable);
    if (!r.ok) return { ok: false, error: r.error };
    if (!r.zip && !editable.includes(as)) {
      return { ok: false, error: refuse(name, `${name} is not a file of this lesson (its file${editable.length === 1 ? " is" : "s are"} ${editable.join(", ")}); give one path per file, named as the lesson names it`) };
    }
    const err = into.add(r.files, f => (r.zip ? `${name}:${f}` : name));
    if (err) return { ok: false, error: err };
  }
  return { ok: true, files: into.files };
}

/** The learner files of `prefault run --datastore FILE`: FILE as datastore.ts, and every "./x"
 *  it imports (transitively) that exists next to it as x.ts (kernel.ts is the grader's), each
 *  read by the rules above (a regular file, no symbolic link followed, the byte cap, UTF-8; a
 *  zip archive FILE is unpacked as a one-file submission). Messages name the paths as given. */
export function readDatastoreFiles(main: string): Files {
  const first = readSubmissionFiles(["datastore.ts"], [main]);
  if (!first.ok) return first;
  const files = { ...first.files };
  if (typeof files["datastore.ts"] !== "string") {
    return { ok: false, error: { kind: "invalid", path: main, message: `${main} holds no datastore.ts` } };
  }
  const dir = dirname(main);
  const queue = [files["datastore.ts"]];
  while (queue.length) {
    const text = queue.shift()!;
    for (const m of text.matchAll(/from\s+["']\.\/([A-Za-z_][A-Za-z0-9_-]*)["']/g)) {
      const dep = `${m[1]}.ts`;
      if (dep === "kernel.ts" || Object.hasOwn(files, dep)) continue;
      const path = join(dir, dep);
      const r = readRegularFile(path, path, MAX_SOURCE_BYTES);
      if (!r.ok) { if (r.missing) continue; return r; }
      const d = decodeSource(path, r.bytes);
      if (!d.ok) return d;
      files[dep] = d.text;
      queue.push(d.text);
    }
  }
  const refused = checkFiles(files);
  return refused ? { ok: false, error: refused } : { ok: true, files };
}
