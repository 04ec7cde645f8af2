// cli/out-file.ts: a report file written whole or not at all, at a path checked before any
// grading starts (`prefault grade --out`, `grade-all --out`, `merge-reports --out`).
//
//   checkOutPath(path)     before grading: the folder exists (or can be made) and takes a new
//                          file; an existing target is a regular file. A path under a file,
//                          /dev/full, /proc/version are refused here, with exit 2, before an hour
//                          of grading is lost.
//   writeOutFile(path, s)  after grading: s written to a temporary file in the same folder,
//                          fsync'd, then renamed over the target, so a reader never sees half a
//                          report and a full disk leaves the old report in place.

import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The file a report goes to: a symbolic link is written through (the file it names is
 *  replaced), anything else is the path itself. */
function target(path: string): string {
  try { if (lstatSync(path).isSymbolicLink()) return realpathSync(path); } catch { /* new file */ }
  return path;
}

function code(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}${err.syscall ? ` (${err.syscall})` : ""}` : String(err?.message ?? e);
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/** Why the report cannot be written to `path`, or undefined when it can: its folder is made if
 *  missing, an existing target must be a regular file, and a probe file is created (and
 *  removed) in the folder. Call before grading. */
export function checkOutPath(path: string): string | undefined {
  const t = target(path);
  try {
    const st = statSync(t);
    if (st.isDirectory()) return `${path} is a folder`;
    if (!st.isFile()) return `${path} is not a regular file (a device, FIFO or socket cannot hold a report)`;
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === "ENOTDIR") return `${path}: a part of the path is a file, not a folder`;
    if (c !== "ENOENT") return `cannot write ${path}: ${code(e)}`;
  }
  const dir = dirname(t);
  try { mkdirSync(dir, { recursive: true }); }
  catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    return c === "ENOTDIR" || c === "EEXIST" ? `${path}: a part of the path is a file, not a folder` : `cannot make the folder ${dir}: ${code(e)}`;
  }
  const probe = tempName(t);
  try { closeSync(openSync(probe, "wx")); }
  catch (e) { return `cannot write ${path}: cannot create a file in ${dir}: ${code(e)}`; }
  try { rmSync(probe, { force: true }); } catch { /* best effort */ }
  return undefined;
}

/** Writes `text` to `path` atomically (temporary file in the same folder, fsync, rename).
 *  Returns an error message, or undefined; the temporary file never stays behind. */
export function writeOutFile(path: string, text: string): string | undefined {
  const t = target(path);
  const tmp = tempName(t);
  let fd: number | undefined;
  try {
    mkdirSync(dirname(t), { recursive: true });
    fd = openSync(tmp, "wx", 0o644);
    const buf = Buffer.from(text, "utf8");
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd); fd = undefined;
    renameSync(tmp, t);
    return undefined;
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    try { rmSync(tmp, { force: true }); } catch { /* best effort */ }
    return `cannot write ${path}: ${code(e)}`;
  }
}
