// engine/hints.ts: the one reading of a lesson's hints.md, for the web app's hint button, the
// `prefault lesson hint` command and `prefault lesson check`.
//
//   # Hints                      (the title; text before the first "##" is not a hint)
//   ## Level 1: a nudge          one hint per "##" section, in order: level 1, 2, 3 ...
//   ...

/** One hint: its level (1-based, the section's position), its heading and its Markdown body. */
export interface Hint { level: number; title: string; body: string }

/** The hints of hints.md text `md`, in order. Pure; an empty or heading-less file has none. */
export function parseHints(md: string): Hint[] {
  const parts = md.replace(/\r\n?/g, "\n").split(/^##[ \t]+/m);
  parts.shift();
  return parts.map((p, i) => {
    const nl = p.indexOf("\n");
    return { level: i + 1, title: (nl < 0 ? p : p.slice(0, nl)).trim(), body: nl < 0 ? "" : p.slice(nl + 1).trim() };
  });
}

/** The problems of a lesson's hints (empty when none): the course gives exactly three levels,
 *  headed "Level 1" .. "Level 3" in order, each with some text. */
export function hintProblems(md: string): string[] {
  const hints = parseHints(md);
  const out: string[] = [];
  if (hints.length !== 3) out.push(`hints.md has ${hints.length} of 3 levels`);
  for (const h of hints) {
    if (!new RegExp(`^Level ${h.level}\\b`).test(h.title)) out.push(`hint ${h.level} is headed "${h.title}", not "Level ${h.level}: ..."`);
    if (h.body === "") out.push(`hint ${h.level} has no text`);
  }
  return out;
}
