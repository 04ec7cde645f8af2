// plain.ts: the editor before Monaco has loaded (and should it fail to load): a labelled,
// monospace <textarea> behind the same CodeEditor facade, so the learner can read, edit and Run
// the lesson code at once. main.ts swaps it for Monaco, carrying over text, active file and cursor.
import type { Diagnostic, Oops } from "../../../engine/types.js";
import type { CodeEditor, EditorFile } from "./monaco.js";

export interface PlainEditor extends CodeEditor {
  readonly plain: true;
  /** The textarea's selection as offsets into the active file, and whether it has the focus. */
  selection(): { start: number; end: number; focused: boolean };
  /** The last diagnostics and oops, to hand over to Monaco. */
  lastMarks(): { diagnostics: Diagnostic[]; oops: Oops | null };
  dispose(): void;
}

export function createPlainEditor(host: HTMLElement): PlainEditor {
  const files = new Map<string, EditorFile>();
  const changeCbs: (() => void)[] = [];
  const showCbs: ((n: string) => void)[] = [];
  let active = "", diagnostics: Diagnostic[] = [], oops: Oops | null = null;
  let highlighted: { file: string; line: number }[] = [];

  const ta = document.createElement("textarea");
  ta.className = "plain-editor";
  ta.spellcheck = false;
  ta.wrap = "soft";
  ta.setAttribute("autocapitalize", "off");
  ta.setAttribute("autocomplete", "off");
  ta.setAttribute("aria-label", "Code editor (plain text while the full editor loads)");
  host.appendChild(ta);
  ta.addEventListener("input", () => {
    const f = files.get(active);
    if (!f || f.readOnly) return;
    f.text = ta.value;
    changeCbs.forEach(cb => cb());
  });

  function show(name: string) {
    const f = files.get(name);
    if (!f) return;
    active = name;
    ta.value = f.text;
    ta.readOnly = f.readOnly;
    ta.setSelectionRange(0, 0);                  // a new value puts the caret at the end: start at the top
    ta.scrollTop = 0;
    ta.setAttribute("aria-label", `Code editor, ${name}${f.readOnly ? " (read-only)" : ""}: plain text while the full editor loads`);
    showCbs.forEach(cb => cb(name));
  }

  const api: PlainEditor = {
    plain: true,
    setFiles(list) {
      files.clear();
      for (const f of list) files.set(f.name, { ...f });
      const first = list.find(f => !f.readOnly) ?? list[0];
      if (first) show(first.name);
    },
    getFiles() {
      const out: Record<string, string> = {};
      for (const [n, f] of files) if (!f.readOnly) out[n] = f.text;
      return out;
    },
    setFileText(name, text) {
      const f = files.get(name);
      if (!f || f.readOnly) return;
      f.text = text;
      if (name === active) {
        const { selectionStart: a, selectionEnd: b } = ta;
        ta.value = text;
        ta.setSelectionRange(Math.min(a, text.length), Math.min(b, text.length));
      }
      changeCbs.forEach(cb => cb());
    },
    showFile: show,
    activeFile: () => active,
    onDidChange(cb) { changeCbs.push(cb); },
    onDidShowFile(cb) { showCbs.push(cb); },
    setDiagnostics(d) { diagnostics = d; },
    setOops(o) { oops = o; },
    showDiff() { /* the comparison needs Monaco */ },
    hideDiff() { /* nothing shown */ },
    addRunAction() { /* Ctrl+Enter reaches the page's keydown handler */ },
    setTypings() { /* no language service here */ },
    focus: () => ta.focus(),
    setSelectionOffsets(start, end) { ta.setSelectionRange(start, end); },
    revealLine(name, line, column) {
      if (!files.has(name)) return false;
      if (name !== active) show(name);
      const lines = ta.value.split("\n");
      const l = Math.min(Math.max(1, line), lines.length);
      const at = lines.slice(0, l - 1).reduce((n, x) => n + x.length + 1, 0) + Math.min(Math.max(0, column - 1), lines[l - 1].length);
      ta.focus();
      ta.setSelectionRange(at, at);
      return true;
    },
    cursor() {
      const before = ta.value.slice(0, ta.selectionStart).split("\n");
      return { file: active, line: before.length, column: before[before.length - 1].length + 1 };
    },
    markers: () => [],
    // no decorations in a textarea: the lines are kept (and handed to nothing: Monaco replaces
    // this editor, and the step-through highlights again when it is opened)
    highlightLines(name, lines) { highlighted = lines.map(line => ({ file: name, line })); },
    highlighted: () => highlighted,
    selection: () => ({ start: ta.selectionStart, end: ta.selectionEnd, focused: document.activeElement === ta }),
    lastMarks: () => ({ diagnostics, oops }),
    dispose() { ta.remove(); },
  };
  return api;
}
