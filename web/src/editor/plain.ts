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
      // the same names as Monaco's revealLine: the file itself, or a path that ends in it
      const file = [...files.keys()].find(n => n === name || name.endsWith("/" + n));
      if (!file) return false;
      if (file !== active) show(file);
      const lines = ta.value.split("\n");
      const l = Math.min(Math.max(1, line), lines.length);
      const at = lines.slice(0, l - 1).reduce((n, x) => n + x.length + 1, 0) + Math.min(Math.max(0, column - 1), lines[l - 1].length);
      // setSelectionRange does not scroll a textarea to its caret (Chromium): scroll it here,
      // the line centred as Monaco's revealLineInCenter does, and without scrolling the page
      ta.focus({ preventScroll: true });
      ta.setSelectionRange(at, at);
      const { top, height } = caretBox(ta, at);
      if (top < ta.scrollTop || top + height > ta.scrollTop + ta.clientHeight) {
        ta.scrollTop = Math.max(0, top - (ta.clientHeight - height) / 2);
      }
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

/** Where the caret at `offset` of textarea `ta` is drawn: the top (in the textarea's scrolled
 *  content, top padding included) and the height of its line. A hidden copy of the textarea's
 *  box (same width, font, padding and wrapping) holds the text before the caret, then a marker
 *  whose place is the caret's: soft-wrapped lines are counted as the textarea draws them. */
function caretBox(ta: HTMLTextAreaElement, offset: number): { top: number; height: number } {
  const cs = getComputedStyle(ta);
  const copy = document.createElement("div");
  for (const p of ["fontFamily", "fontSize", "fontWeight", "fontStyle", "fontVariant", "letterSpacing", "wordSpacing", "lineHeight",
                   "tabSize", "textIndent", "textTransform", "whiteSpace", "overflowWrap", "wordBreak",
                   "paddingTop", "paddingRight", "paddingBottom", "paddingLeft"] as const) {
    copy.style[p] = cs[p];
  }
  // clientWidth: the padding box without the scroll bar, the width the text wraps in
  copy.style.cssText += `;position:absolute;left:-10000px;top:0;visibility:hidden;overflow:hidden;border:0;margin:0;` +
    `box-sizing:border-box;height:auto;width:${ta.clientWidth}px`;
  const mark = document.createElement("span");
  mark.textContent = "\u200b";
  copy.append(ta.value.slice(0, offset), mark);
  document.body.append(copy);
  const box = { top: mark.offsetTop, height: mark.offsetHeight || parseFloat(cs.lineHeight) || 18 };
  copy.remove();
  return box;
}
