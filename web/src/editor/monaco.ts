// monaco.ts: the code editor (Monaco 0.57, tree-shaken) behind a small facade.
//
// Loaded lazily by main.ts after the lesson text has painted. The TypeScript language service
// (completion, hover) is registered once the compiler is ready and the editor first has focus, with AssemblyScript's std
// definitions and the kernel API header as extra libraries; asc's diagnostics stay the
// authoritative errors (owner "asc"), runtime oopses use owner "runtime".
import * as monaco from "monaco-editor/editor";
// The editor features a learner uses (not features/register.all: no colour picker, GPU renderer,
// code lens, inlay hints, sticky scroll ...), which keeps the editor chunk smaller.
import "monaco-editor/features/bracketMatching/register";
import "monaco-editor/features/caretOperations/register";
import "monaco-editor/features/clipboard/register";
import "monaco-editor/features/codeAction/register";
import "monaco-editor/features/codeEditor/register";
import "monaco-editor/features/codicon/register";
import "monaco-editor/features/comment/register";
import "monaco-editor/features/contextmenu/register";
import "monaco-editor/features/cursorUndo/register";
import "monaco-editor/features/diffEditor/register";
import "monaco-editor/features/documentSymbols/register";
import "monaco-editor/features/find/register";
import "monaco-editor/features/folding/register";
import "monaco-editor/features/format/register";
import "monaco-editor/features/gotoError/register";
import "monaco-editor/features/gotoLine/register";
import "monaco-editor/features/gotoSymbol/register";
import "monaco-editor/features/hover/register";
import "monaco-editor/features/indentation/register";
import "monaco-editor/features/inlineProgress/register";
import "monaco-editor/features/lineSelection/register";
import "monaco-editor/features/linesOperations/register";
import "monaco-editor/features/links/register";
import "monaco-editor/features/multicursor/register";
import "monaco-editor/features/parameterHints/register";
import "monaco-editor/features/quickCommand/register";
import "monaco-editor/features/quickHelp/register";
import "monaco-editor/features/quickOutline/register";
import "monaco-editor/features/readOnlyMessage/register";
import "monaco-editor/features/referenceSearch/register";
import "monaco-editor/features/rename/register";
import "monaco-editor/features/smartSelect/register";
import "monaco-editor/features/snippet/register";
import "monaco-editor/features/suggest/register";
import "monaco-editor/features/toggleHighContrast/register";
import "monaco-editor/features/toggleTabFocusMode/register";
import "monaco-editor/features/tokenization/register";
import "monaco-editor/features/wordHighlighter/register";
import "monaco-editor/features/wordOperations/register";
import "monaco-editor/features/wordPartOperations/register";
// services the TypeScript mode's contributions need (ICodeLensCache, treeViewsDndService ...)
import "monaco-editor/features/codelens/register";
import "monaco-editor/features/dnd/register";
import "monaco-editor/features/dropOrPasteInto/register";
import "monaco-editor/features/inlayHints/register";
import "monaco-editor/features/semanticTokens/register";
import "monaco-editor/features/linkedEditing/register";
import "monaco-editor/languages/definitions/typescript/register";
import * as ts from "monaco-editor/languages/features/typescript/register";
import { conf as tsConf, language as tsLanguage } from "monaco-editor/languages/definitions/typescript/typescript";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import type { Diagnostic, Oops } from "../../../engine/types.js";

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  // Both workers through explicit ?worker imports (docs/toolchain.md §2.2); Monaco
  // accepts a promise here, so the 7 MB TypeScript worker is only fetched when the TS mode starts.
  getWorker(_id: string, label: string): Worker | Promise<Worker> {
    if (label === "typescript" || label === "javascript") {
      return import("monaco-editor/language/typescript/ts.worker?worker").then(m => new m.default());
    }
    return new EditorWorker();
  },
};

// Files start in "assemblyscript": TypeScript's colouring without its language service, so the
// 7 MB TS worker does not compete with asc while the compiler loads. setTypings() then moves
// them to "typescript", which starts the TS mode (completion, hover) with AS's definitions.
monaco.languages.register({ id: "assemblyscript", aliases: ["AssemblyScript"] });
monaco.languages.setMonarchTokensProvider("assemblyscript", tsLanguage as monaco.languages.IMonarchLanguage);
monaco.languages.setLanguageConfiguration("assemblyscript", tsConf as monaco.languages.LanguageConfiguration);
let languageId = "assemblyscript";

export interface EditorFile { name: string; text: string; readOnly: boolean }

export interface CodeEditor {
  /** Replaces all files (a lesson switch); the first editable file is shown. */
  setFiles(files: EditorFile[]): void;
  /** The editable files' current text. */
  getFiles(): Record<string, string>;
  /** Replaces one editable file's text as an undoable edit. */
  setFileText(name: string, text: string): void;
  showFile(name: string): void;
  activeFile(): string;
  onDidChange(cb: () => void): void;
  onDidShowFile(cb: (name: string) => void): void;
  setDiagnostics(diags: Diagnostic[]): void;
  setOops(oops: Oops | null): void;
  /** Shows a side-by-side diff of the learner's files against `other` until hideDiff(): a region
   *  named `label`, its two editors named "Solution" and "Your code", over a note (#diff-note,
   *  a status) that says how many changes there are, or that there are none. */
  showDiff(other: Record<string, string>, label: string): void;
  hideDiff(): void;
  addRunAction(run: () => void): void;
  setTypings(definitions: string, header: string): void;
  focus(): void;
  /** Selects from offset start to end in the active file (the cursor when they are equal). */
  setSelectionOffsets(start: number, end: number): void;
  /** Shows file `name` with the cursor at 1-based line:column, scrolled into view, focused.
   *  False when the editor has no such file. */
  revealLine(name: string, line: number, column: number): boolean;
  /** The active file and the cursor's 1-based line and column. */
  cursor(): { file: string; line: number; column: number };
  /** Markers currently shown (for tests): owner, file, 1-based line, message. */
  markers(owner?: string): { owner: string; file: string; line: number; message: string }[];
  /** Highlights 1-based `lines` of file `name` (the step-through's lines of the learner's code;
   *  an empty list clears them), scrolling the first into view when that file is shown. */
  highlightLines(name: string, lines: number[]): void;
  /** The highlighted lines (for tests): file, 1-based line. */
  highlighted(): { file: string; line: number }[];
}

// Monaco's own light and dark themes with the two colours that are under WCAG AA contrast
// (4.5:1) on their own background raised above it: the second bracket-pair colour of "vs"
// (#319331, 3.9:1 on white) and the comments of "vs-dark" (#608b4e, 4.2:1 on #1e1e1e). Every
// other colour the lessons' code shows is at least 4.6:1 (the step-through's highlighted lines,
// styles.css .explain-line, keep that).
monaco.editor.defineTheme("prefault-light", { base: "vs", inherit: true, rules: [],
  colors: { "editorBracketHighlight.foreground2": "#237a23" } });
monaco.editor.defineTheme("prefault-dark", { base: "vs-dark", inherit: true, rules: [{ token: "comment", foreground: "7ca668" }],
  colors: {} });

function currentTheme(): string {
  const mm = (q: string) => window.matchMedia(q).matches;
  const dark = mm("(prefers-color-scheme: dark)");
  if (mm("(prefers-contrast: more)") || mm("(forced-colors: active)")) return dark ? "hc-black" : "hc-light";
  return dark ? "prefault-dark" : "prefault-light";
}

const SEVERITY: Record<Diagnostic["severity"], monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info,
};

/** Gives `ed` the accessible name `label`, and gives it back each time a change of its options
 *  takes it away. */
function keepAriaLabel(ed: monaco.editor.ICodeEditor, label: string): void {
  const put = () => { if (ed.getOption(monaco.editor.EditorOption.ariaLabel) !== label) ed.updateOptions({ ariaLabel: label }); };
  ed.onDidChangeConfiguration(e => { if (e.hasChanged(monaco.editor.EditorOption.ariaLabel)) put(); });
  put();
}

/** Creates the editor inside `host`. Returns the facade the app talks to. */
export function createCodeEditor(host: HTMLElement): CodeEditor {
  const models = new Map<string, { model: monaco.editor.ITextModel; readOnly: boolean; view?: monaco.editor.ICodeEditorViewState | null }>();
  const changeCbs: (() => void)[] = [];
  const showCbs: ((n: string) => void)[] = [];
  let active = "";
  let diff: { editor: monaco.editor.IStandaloneDiffEditor; host: HTMLElement; originals: monaco.editor.ITextModel[] } | null = null;

  const editorHost = document.createElement("div");
  editorHost.style.cssText = "width:100%;height:100%";
  host.appendChild(editorHost);
  const editor = monaco.editor.create(editorHost, {
    automaticLayout: true, minimap: { enabled: false }, fontSize: 13, tabSize: 2, wordWrap: "on", wrappingIndent: "same",
    theme: currentTheme(), ariaLabel: "Code editor. Press Ctrl+M to toggle whether Tab moves focus out of the editor.",
    scrollBeyondLastLine: false, fixedOverflowWidgets: true, renderValidationDecorations: "on",
  });
  for (const q of ["(prefers-color-scheme: dark)", "(prefers-contrast: more)", "(forced-colors: active)"]) {
    window.matchMedia(q).addEventListener("change", () => monaco.editor.setTheme(currentTheme()));
  }
  editor.onDidChangeModelContent(() => { if (!models.get(active)?.readOnly) changeCbs.forEach(cb => cb()); });

  function show(name: string) {
    const m = models.get(name);
    if (!m) return;
    const cur = models.get(active);
    if (cur) cur.view = editor.saveViewState();
    active = name;
    editor.setModel(m.model);
    editor.updateOptions({ readOnly: m.readOnly, readOnlyMessage: { value: "The kernel API header is read-only." } });
    if (m.view) editor.restoreViewState(m.view);
    showCbs.forEach(cb => cb(name));
  }

  // the step-through's highlighted lines: model name -> decoration ids
  const highlights = new Map<string, string[]>();

  const api: CodeEditor = {
    setFiles(files) {
      highlights.clear();
      api.hideDiff();
      for (const { model } of models.values()) model.dispose();
      models.clear();
      active = "";
      for (const f of files) {
        const uri = monaco.Uri.parse("file:///" + f.name);
        monaco.editor.getModel(uri)?.dispose();
        models.set(f.name, { model: monaco.editor.createModel(f.text, languageId, uri), readOnly: f.readOnly });
      }
      const first = files.find(f => !f.readOnly) ?? files[0];
      if (first) show(first.name);
    },
    getFiles() {
      const out: Record<string, string> = {};
      for (const [n, m] of models) if (!m.readOnly) out[n] = m.model.getValue();
      return out;
    },
    setFileText(name, text) {
      const m = models.get(name);
      if (!m || m.readOnly) return;
      m.model.pushEditOperations([], [{ range: m.model.getFullModelRange(), text }], () => null);
      m.model.pushStackElement();
    },
    showFile: show,
    activeFile: () => active,
    onDidChange(cb) { changeCbs.push(cb); },
    onDidShowFile(cb) { showCbs.push(cb); },
    setDiagnostics(diags) {
      for (const [name, m] of models) {
        const mine = diags.filter(d => d.file === name);
        monaco.editor.setModelMarkers(m.model, "asc", mine.map(d => {
          const endCol = d.endLine === d.line && d.endColumn <= d.column ? d.column + 1 : d.endColumn;
          return { severity: SEVERITY[d.severity], message: d.message, code: d.code, source: "asc",
                   startLineNumber: Math.max(1, d.line), startColumn: Math.max(1, d.column),
                   endLineNumber: Math.max(1, d.endLine), endColumn: Math.max(1, endCol) };
        }));
      }
    },
    setOops(oops) {
      for (const [name, m] of models) {
        const here = oops && oops.file && (oops.file === name || oops.file.endsWith("/" + name)) && oops.line;
        monaco.editor.setModelMarkers(m.model, "runtime", here ? [{
          severity: monaco.MarkerSeverity.Error, source: "kernel oops", message: `Kernel oops: ${oops!.message}`,
          startLineNumber: oops!.line!, startColumn: oops!.column ?? 1,
          endLineNumber: oops!.line!, endColumn: m.model.getLineMaxColumn(oops!.line!),
        }] : []);
      }
    },
    showDiff(other, label) {
      api.hideDiff();
      const name = models.get(active)?.readOnly ? [...models.keys()].find(n => !models.get(n)!.readOnly)! : active;
      const mine = models.get(name)!.model;
      // colour only: the TS service must not see a second datastore.ts
      const original = monaco.editor.createModel(other[name] ?? "", "assemblyscript");
      // a named region (a label needs a role) holding the note and the diff editor's own box
      const dhost = document.createElement("div");
      dhost.className = "diff-view";
      dhost.setAttribute("role", "region");
      dhost.setAttribute("aria-label", label);
      const note = document.createElement("p");
      note.id = "diff-note";
      note.className = "diff-bar";
      note.setAttribute("role", "status");
      note.textContent = "Comparing…";
      const box = document.createElement("div");
      box.className = "diff-box";
      dhost.append(note, box);
      editorHost.style.display = "none";
      host.appendChild(dhost);
      const de = monaco.editor.createDiffEditor(box, { automaticLayout: true, readOnly: true, originalEditable: false,
        renderSideBySide: true, minimap: { enabled: false }, fontSize: 13, theme: currentTheme() });
      // each side's name. (Monaco 0.57 takes originalAriaLabel/modifiedAriaLabel only from an
      // options change that names them: the diff editor's own first update, and any later one,
      // such as side by side turning inline on a narrow screen, blank them to "". So each
      // side's label is put back whenever its configuration changes.)
      keepAriaLabel(de.getOriginalEditor(), `Solution: ${name}, read-only`);
      keepAriaLabel(de.getModifiedEditor(), `Your code: ${name}, read-only while you compare`);
      de.setModel({ original, modified: mine });
      // the note follows each new diff (none until the first is computed)
      de.onDidUpdateDiff(() => {
        const changes = de.getLineChanges();
        if (!changes) return;
        const n = changes.length;
        note.textContent = n > 0 ? `${n} change${n === 1 ? "" : "s"}: the solution on the left, your code on the right.`
          : original.getValue() === mine.getValue() ? "No differences: your code is the same as the solution."
          : "No differences apart from white space at the start or end of lines.";
      });
      diff = { editor: de, host: dhost, originals: [original] };
    },
    hideDiff() {
      if (!diff) return;
      diff.editor.dispose();
      diff.originals.forEach(m => m.dispose());
      diff.host.remove();
      diff = null;
      editorHost.style.display = "";
      editor.layout();
    },
    addRunAction(run) {
      editor.addAction({ id: "prefault.run", label: "Run", keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter], run });
    },
    setTypings(definitions, header) {
      // the TS service (a 7 MB worker, 1.2 MB brotli) waits until the learner first puts the
      // cursor in the editor: it is not part of a first visit, and does not compete with asc
      const start = () => void registerTypeScript(definitions, header, [...models.values()].map(m => m.model));
      if (editor.hasTextFocus()) start();
      else { const once = editor.onDidFocusEditorText(() => { once.dispose(); start(); }); }
    },
    focus: () => { if (diff) diff.editor.getModifiedEditor().focus(); else editor.focus(); },
    setSelectionOffsets(start, end) {
      const model = editor.getModel();
      if (!model) return;
      const a = model.getPositionAt(start), b = model.getPositionAt(end);
      editor.setSelection(new monaco.Selection(a.lineNumber, a.column, b.lineNumber, b.column));
      editor.revealPositionInCenterIfOutsideViewport(b);
    },
    revealLine(name, line, column) {
      const file = [...models.keys()].find(n => n === name || name.endsWith("/" + n));
      if (!file) return false;
      if (file !== active) show(file);
      const pos = { lineNumber: Math.max(1, line), column: Math.max(1, column) };
      editor.setPosition(pos);
      // the editor may have been hidden until now (a phone's Code tab, just opened): a hidden
      // editor has no size, and a reveal in it scrolls a 0 px view. Lay it out at the size it
      // has now, then centre the line.
      editor.layout();
      editor.revealLineInCenter(pos.lineNumber);
      editor.focus();
      return true;
    },
    cursor() {
      const p = editor.getPosition();
      return { file: active, line: p?.lineNumber ?? 1, column: p?.column ?? 1 };
    },
    markers(owner) {
      return monaco.editor.getModelMarkers(owner ? { owner } : {}).map(m => ({
        owner: m.owner, file: m.resource.path.replace(/^\//, ""), line: m.startLineNumber, message: m.message }));
    },
    highlightLines(name, lines) {
      for (const [n, ids] of highlights) models.get(n)?.model.deltaDecorations(ids, []);
      highlights.clear();
      const file = [...models.keys()].find(n => n === name || name.endsWith("/" + n));
      if (!file || lines.length === 0) return;
      const model = models.get(file)!.model;
      const ok = lines.filter(l => l >= 1 && l <= model.getLineCount());
      highlights.set(file, model.deltaDecorations([], ok.map(l => ({
        range: new monaco.Range(l, 1, l, 1),
        options: { isWholeLine: true, className: "explain-line", linesDecorationsClassName: "explain-gutter",
                   hoverMessage: { value: "This line called the kernel in the fault you are stepping through." },
                   overviewRuler: { color: "#d98a00", position: monaco.editor.OverviewRulerLane.Center } },
      }))));
      if (ok.length && file === active) editor.revealLineInCenterIfOutsideViewport(ok[0]);
    },
    highlighted() {
      const out: { file: string; line: number }[] = [];
      for (const [n, ids] of highlights) {
        const model = models.get(n)?.model;
        for (const id of ids) { const r = model?.getDecorationRange(id); if (r) out.push({ file: n, line: r.startLineNumber }); }
      }
      return out.sort((a, b) => a.line - b.line);
    },
  };
  return api;
}

// Starts the TS language service (lazy chunk + worker) for completion and hover over
// AssemblyScript: the std definitions as an extra lib, the header is an open model.
async function registerTypeScript(definitions: string, header: string, open: monaco.editor.ITextModel[]): Promise<void> {
  const d = ts.typescriptDefaults;
  d.setCompilerOptions({ noLib: true, target: ts.ScriptTarget.ESNext, experimentalDecorators: true,
    strict: false, allowNonTsExtensions: true, module: ts.ModuleKind.ESNext });
  // asc is the authority on errors; TS would flag AS-only constructs (1206 decorators, u64 maths),
  // so only its syntax check could stay on; it is off too: asc reports the same syntax errors,
  // and each error is shown once (owner "asc")
  // (nor its suggestions: "declared but never read" fades code below the contrast a reader needs)
  d.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: true, noSuggestionDiagnostics: true, diagnosticCodesToIgnore: [1206] });
  d.addExtraLib(definitions, "file:///node_modules/assemblyscript/std/assembly/index.d.ts");
  void header;                                           // the header is an open model (file:///kernel.ts)
  languageId = "typescript";
  for (const m of open) if (!m.isDisposed()) monaco.editor.setModelLanguage(m, "typescript");
  // the TS mode loads lazily: getTypeScriptWorker() rejects until it has (pitfall P7)
  for (let i = 0; i < 600; i++) {
    try { await (await ts.getTypeScriptWorker())(); document.documentElement.dataset.typescript = "ready"; return; }
    catch { await new Promise(r => setTimeout(r, 50)); }
  }
}
