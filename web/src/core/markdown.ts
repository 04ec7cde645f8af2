// markdown.ts: lesson text and hints (CommonMark + GFM tables and strikethrough) to HTML, with
// markdown-it. Raw HTML in a lesson is escaped, never passed through (html: false), and
// markdown-it's validateLink drops javascript:, vbscript:, file: and non-image data: links, so
// a lesson file cannot inject markup. Headings move one level down (the pane title is the h2's
// parent heading), links open in a new tab, and tables sit in a box that scrolls sideways on its
// own. Pure; called by web/src/ui/lesson-view.ts and unit-tested under node.
import MarkdownIt from "markdown-it";

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

/** Renders Markdown to an HTML string (safe to assign to innerHTML). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** Splits hints.md into levels: each "## " section is one level, in order. Text before the
 *  first section (if any) is level 1 on its own. */
export function hintLevels(md: string): { title: string; body: string }[] {
  const parts = md.replace(/\r\n?/g, "\n").split(/^##\s+/m);
  const levels: { title: string; body: string }[] = [];
  const head = parts.shift()!.replace(/^#\s+.*$/m, "").trim();
  if (head) levels.push({ title: "Hint", body: head });
  for (const p of parts) {
    const nl = p.indexOf("\n");
    const title = (nl < 0 ? p : p.slice(0, nl)).trim();
    const body = nl < 0 ? "" : p.slice(nl + 1).trim();
    levels.push({ title, body });
  }
  return levels;
}
