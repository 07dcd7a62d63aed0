import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE_TITLE = '# Benchmarks\n\nProduced by `npm run bench` (sources in `bench/`). Each section is rewritten by the benchmark that owns it; other sections are left as they are.\n';

/**
 * Replaces the `## heading` section of `markdown` (from its heading up to the next `## ` heading
 * or the end) with `body`, or appends the section when it is not there yet.
 */
export function replaceSection(markdown: string, heading: string, body: string): string {
  const section = `## ${heading}\n\n${body.trim()}\n`;
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === `## ${heading}`);
  if (start < 0) {
    const base = markdown.trimEnd();
    return `${base ? `${base}\n\n` : ''}${section}`;
  }
  let end = lines.length;
  let inFence = false;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i])) inFence = !inFence;
    if (!inFence && lines[i].startsWith('## ')) {
      end = i;
      break;
    }
  }
  const before = lines.slice(0, start).join('\n').trimEnd();
  const after = lines.slice(end).join('\n').trim();
  return `${before ? `${before}\n\n` : ''}${section}${after ? `\n${after}\n` : ''}`;
}

/** Writes sections into a Markdown file, creating it with a title when missing. */
export function writeSections(file: string, sections: { heading: string; markdown: string }[]): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : FILE_TITLE;
  for (const s of sections) text = replaceSection(text, s.heading, s.markdown);
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

/** A Markdown table; cells are escaped for `|`. */
export function markdownTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r, i) => `| ${(i === 1 ? r : r.map(esc)).join(' | ')} |`).join('\n');
}

/** A fixed-width plain-text table for the terminal. */
export function textTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (align?.[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}
