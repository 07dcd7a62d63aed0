// The webhook payload JSON Schemas of docs/webhook-schemas/ (what docs/webhooks.md publishes),
// compiled with Ajv, to check real deliveries and the documentation's examples against them.
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SCHEMA_DIR = path.join(__dirname, '..', '..', 'docs', 'webhook-schemas');

let compiled: Map<string, ValidateFunction> | undefined;

/** Event type → its validator (from `<type>.v1.json`). */
export function webhookValidators(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'));
  for (const f of files) ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, f), 'utf8')) as object);
  compiled = new Map();
  for (const f of files.filter((x) => x !== 'common.v1.json')) {
    const type = f.replace(/\.v1\.json$/, '');
    compiled.set(type, ajv.getSchema(`https://leadline.local/webhooks/${f}`)!);
  }
  return compiled;
}

/** What is wrong with a webhook body by its type's schema ([] = valid). */
export function webhookSchemaErrors(body: unknown): string[] {
  const type = (body as { type?: unknown })?.type;
  const validate = typeof type === 'string' ? webhookValidators().get(type) : undefined;
  if (!validate) return [`no schema for type ${String(type)}`];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
