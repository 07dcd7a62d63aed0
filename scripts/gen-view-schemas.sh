#!/usr/bin/env bash
# Regenerates apps/server/src/openapi/view-schemas.json: the OpenAPI 3.0 schemas of every JSON answer
# of the REST API, from the TypeScript types named in apps/server/src/openapi/api-views.ts (with
# ts-json-schema-generator, a devDependency). Run it after changing a view type;
# tests/integration/openapi.spec.ts fails while the schemas and the types disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
node - <<'JS'
const fs = require('fs');
const { createGenerator } = require('ts-json-schema-generator');
const OUT = 'apps/server/src/openapi/view-schemas.json';
const generated = createGenerator({
  path: 'apps/server/src/openapi/api-views.ts',
  tsconfig: 'tsconfig.json',
  type: 'ApiViews',
  expose: 'export',
  topRef: true,
  jsDoc: 'extended',
  skipTypeCheck: true,
  additionalProperties: false,
}).createSchema('ApiViews');

const REF = /^#\/definitions\/(.+)$/;
const name = (ref) => decodeURIComponent(REF.exec(ref)?.[1] ?? '');
const SAFE = /^[A-Za-z0-9._-]+$/;

// JSON Schema (draft 7) → OpenAPI 3.0 schema: nullable instead of "null" types, enum instead of
// const, component references.
function toOpenApi(node) {
  if (Array.isArray(node)) return node.map(toOpenApi);
  if (!node || typeof node !== 'object') return node;
  let out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') {
      const target = name(value);
      if (!SAFE.test(target)) throw new Error(`definition name ${target} is not a valid component name: give the type a name of its own`);
      out.$ref = `#/components/schemas/${target}`;
    } else if (key === 'const') out.enum = [value];
    else out[key] = toOpenApi(value);
  }
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== 'null');
    if (types.length !== 1) throw new Error(`cannot express type ${JSON.stringify(out.type)} in OpenAPI 3.0`);
    if (types.length !== out.type.length) out.nullable = true;
    out.type = types[0];
  }
  for (const key of ['anyOf', 'oneOf']) {
    if (!out[key]) continue;
    const rest = out[key].filter((s) => s.type !== 'null');
    if (rest.length === out[key].length) continue;
    delete out[key];
    if (rest.length === 1 && !rest[0].$ref) out = { ...out, ...rest[0], nullable: true };
    else if (rest.length === 1) out = { ...out, allOf: [rest[0]], nullable: true };
    else out = { ...out, [key]: rest, nullable: true };
  }
  // An enum that takes null lists it (OpenAPI 3.0.3).
  if (out.nullable && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum.push(null);
  return out;
}

const defs = generated.definitions ?? {};
const views = defs.ApiViews;
const schemas = {};
for (const [key, def] of Object.entries(defs)) {
  if (key === 'ApiViews') continue;
  if (!SAFE.test(key)) continue; // only reachable through a named view, inlined below if ever used
  schemas[key] = toOpenApi(def);
}
for (const [key, prop] of Object.entries(views.properties)) {
  if (prop.$ref && name(prop.$ref) === key) continue;
  schemas[key] = toOpenApi(prop);
}
const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(OUT, JSON.stringify(sorted, null, 1) + '\n');
console.log(`wrote ${Object.keys(sorted).length} schemas to ${OUT}`);
JS
