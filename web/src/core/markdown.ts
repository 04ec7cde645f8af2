// markdown.ts: lesson text and hints (CommonMark + GFM tables and strikethrough) to HTML, with
// markdown-it. Raw HTML in a lesson is escaped, never passed through (html: false), and
// markdown-it's validateLink drops javascript:, vbscript:, file: and non-image data: links, so
// a lesson file cannot inject markup. Headings move one level down (the pane title is the h2's
// parent heading), links open in a new tab, and tables sit in a box that scrolls sideways on its
// own. Pure; called by web/src/ui/lesson-view.ts and unit-tested under node.
import MarkdownIt from "markdown-it";
import { parseHints } from "../../../engine/hints.js";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const md = new MarkdownIt("default", { html: false, linkify: false, typographer: false });
md.renderer.rules.heading_open = (tokens, i) => `<h${Math.min(6, Number(tokens[i].tag.slice(1)) + 1)}>`;
md.renderer.rules.heading_close = (tokens, i) => `</h${Math.min(6, Number(tokens[i].tag.slice(1)) + 1)}>\n`;
md.renderer.rules.link_open = (tokens, i, opts, _env, self) => {
  const href = String(tokens[i].attrGet("href") ?? "");
  if (!href.startsWith("#")) { tokens[i].attrSet("target", "_blank"); tokens[i].attrSet("rel", "noopener"); }
  return self.renderToken(tokens, i, opts);
};
// a box that may scroll sideways is focusable, so a keyboard can scroll it (axe-core
// scrollable-region-focusable)
md.renderer.rules.table_open = () => `<div class="table-scroll" tabindex="0"><table>\n`;
const fence = md.renderer.rules.fence!, codeBlock = md.renderer.rules.code_block!;
md.renderer.rules.fence = (...a) => fence(...a).replace(/^<pre>/, `<pre tabindex="0">`);
md.renderer.rules.code_block = (...a) => codeBlock(...a).replace(/^<pre>/, `<pre tabindex="0">`);
md.renderer.rules.table_close = () => `</table></div>\n`;
// a long identifier in inline code (VDSO_TIMENS_PAGE_OFFSET) may wrap after an underscore, and
// only there (styles.css: no break inside a word of a table cell); <wbr> adds no character, so
// a copied identifier is intact
md.renderer.rules.code_inline = (tokens, i) => `<code>${escapeHtml(tokens[i].content).replace(/_(?=[^_])/g, "_<wbr>")}</code>`;

/** Renders Markdown to an HTML string (safe to assign to innerHTML). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** hints.md as levels ({ title, body }, in order): the engine's one hint parser. */
export function hintLevels(md: string): { title: string; body: string }[] {
  return parseHints(md).map(h => ({ title: h.title, body: h.body }));
}
