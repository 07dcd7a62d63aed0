// What the references that list Leadline's settings (docs/configuration.md, the environment file
// template deploy/leadline.env.example, the compose file) are checked against: every variable of
// CONFIG_VARIABLES, and where the schema has a default, that same default. Used by unit tests only.
import { z } from 'zod';
import { CONFIG_SCHEMA, CONFIG_VARIABLES, ConfigVariable } from './app-config';

export const CONFIG_NAMES = Object.keys(CONFIG_VARIABLES) as ConfigVariable[];

/** The value a variable takes when unset, spelled as in the environment; undefined when the schema has none (required, optional or computed). */
export function configDefault(name: ConfigVariable): string | undefined {
  const field: z.ZodTypeAny = CONFIG_SCHEMA.shape[name];
  return field instanceof z.ZodDefault ? String(field._def.defaultValue()) : undefined;
}

/** One setting as a reference documents it: the default it states (undefined: it states none). */
export type DocumentedDefaults = Map<string, string | undefined>;

/**
 * What is wrong with a reference: a variable missing, a default not stated, or stated differently
 * from the schema's. `defaultRequired`: every entry must state a default (free text where the
 * schema has none, e.g. "generated").
 */
export function referenceProblems(documented: DocumentedDefaults, opts: { defaultRequired: boolean }): string[] {
  const problems: string[] = [];
  for (const name of CONFIG_NAMES) {
    if (!documented.has(name)) {
      problems.push(`${name}: not listed`);
      continue;
    }
    const stated = documented.get(name);
    const expected = configDefault(name);
    if (stated === undefined) {
      if (opts.defaultRequired || expected !== undefined) problems.push(`${name}: no default stated (the code's is ${expected ?? 'none'})`);
    } else if (expected !== undefined && stated !== expected) {
      problems.push(`${name}: states default "${stated}", the code's is "${expected}"`);
    }
  }
  return problems;
}

/** The settings table of docs/configuration.md: `| \`NAME\` | \`default\` | …` → NAME → default (backticks removed). */
export function markdownTableDefaults(doc: string): DocumentedDefaults {
  const found: DocumentedDefaults = new Map();
  for (const line of doc.split('\n')) {
    const row = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|/.exec(line);
    if (!row) continue;
    const cell = row[2].trim();
    const code = /^`([^`]*)`$/.exec(cell);
    found.set(row[1], code ? code[1] : cell || undefined);
  }
  return found;
}

export interface EnvTemplateEntry {
  name: string;
  /** `#NAME=value`: the line is commented out, the value shown is what applies when it stays so. */
  commented: boolean;
  value: string;
  /** From the `# Default: …` line of the comment block just above the assignment. */
  stated?: string;
}

/**
 * Parses an environment file template: blocks of `# ` comment lines, one of them `# Default: x`,
 * followed by `NAME=value` (set) or `#NAME=value` (left at its default). Throws on a variable
 * assigned twice.
 */
export function parseEnvTemplate(text: string): EnvTemplateEntry[] {
  const entries: EnvTemplateEntry[] = [];
  let stated: string | undefined;
  for (const line of text.split('\n')) {
    const assignment = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment) {
      const [, hash, name, value] = assignment;
      if (entries.some((e) => e.name === name)) throw new Error(`${name} is assigned twice`);
      entries.push({ name, commented: hash === '#', value, stated });
      stated = undefined;
      continue;
    }
    const def = /^#\s+Default:\s*(.*?)\s*$/.exec(line);
    if (def) stated = def[1];
    else if (line.trim() === '') stated = undefined;
  }
  return entries;
}

/** referenceProblems for an env template, plus: a commented-out line must show the default that then applies. */
export function envTemplateProblems(text: string): string[] {
  const entries = parseEnvTemplate(text);
  const problems = referenceProblems(new Map(entries.map((e) => [e.name, e.stated])), { defaultRequired: true });
  for (const e of entries) {
    const expected = CONFIG_NAMES.includes(e.name as ConfigVariable) ? configDefault(e.name as ConfigVariable) : undefined;
    if (e.commented && expected !== undefined && e.value !== expected) problems.push(`${e.name}: commented out with "${e.value}", but "${expected}" is what applies`);
  }
  return problems;
}
