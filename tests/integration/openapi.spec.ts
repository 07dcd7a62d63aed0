// The OpenAPI document as an integrator uses it: fetched from a running server, turned into
// TypeScript with openapi-typescript, and a small client written against those types is
// type-checked (tsc) and then run against the same server. The generated types must also equal the
// server's own request DTOs and answer types, so a published schema cannot drift from the code.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { IT_DIR } from '../harness/it-env';
import { startServer, TestServer } from '../harness/server';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const SERVER_SRC = path.join(REPO, 'apps', 'server', 'src');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in the document where a schema says `type: object` and nothing about its members. */
function shapelessObjects(node: Json, at = '#'): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => shapelessObjects(n, `${at}/${i}`));
  if (!node || typeof node !== 'object') return [];
  const here = node.type === 'object' && !('properties' in node) && !('additionalProperties' in node) ? [at] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => shapelessObjects(v, `${at}/${k}`))];
}

function refs(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (!node || typeof node !== 'object') return [];
  return [...(typeof node.$ref === 'string' ? [node.$ref] : []), ...Object.values(node).flatMap(refs)];
}

/** Exported classes of the server's *.dto.ts files, by name → file. */
function dtoClasses(dir = SERVER_SRC): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) for (const [k, v] of dtoClasses(file)) found.set(k, v);
    else if (entry.endsWith('.dto.ts')) for (const m of readFileSync(file, 'utf8').matchAll(/^export class (\w+)/gm)) found.set(m[1], file);
  }
  return found;
}

/** Type-checks `files` (in `dir`) with the repository's compiler options; returns the diagnostics. */
function typeCheck(dir: string, files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const options: ts.CompilerOptions = { ...config!.options, noEmit: true, rootDir: '/', skipLibCheck: true, noUnusedLocals: false };
  const program = ts.createProgram(files.map((f) => path.join(dir, f)), options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

// The client an integrator would write from the generated types alone.
const CLIENT = `import type { paths } from './api';

type Body<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Answer<T, S extends number> = T extends { responses: { [K in S]: { content: { 'application/json': infer R } } } } ? R : never;

const [url, token] = [process.env.LEADLINE_URL!, process.env.LEADLINE_TOKEN!];

async function call<R>(method: string, route: string, body?: unknown, headers: Record<string, string> = { authorization: \`Bearer \${token}\` }): Promise<R> {
  const res = await fetch(url + route, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(\`\${method} \${route}: \${res.status} \${await res.text()}\`);
  return (await res.json()) as R;
}

type CreateUser = Body<paths['/api/users']['post']>;
type User = Answer<paths['/api/users']['post'], 201>;
type CreateCampaign = Body<paths['/api/campaigns']['post']>;
type Campaign = Answer<paths['/api/campaigns']['post'], 201>;
type Lead = Body<paths['/api/action-post/{campaignId}']['post']>;
type Envelope = Answer<paths['/api/action-post/{campaignId}']['post'], 200>;
type Prospect = Answer<paths['/api/prospects/{id}']['get'], 200>;

async function main(): Promise<void> {
  const newUser: CreateUser = {
    name: 'Typed Client',
    email: \`typed-\${Date.now()}@client.test\`,
    password: 'typed-client-password-1',
    role: 'agent',
    workPhoneType: 'external',
    workPhone: '(512) 555-0188',
    callerId: null,
    stateLicences: ['TX'],
    filterLoanAmountMin: null,
  };
  const user: User = await call('POST', '/api/users', newUser);
  const workPhone: string | null = user.workPhone;

  const newCampaign: CreateCampaign = { name: \`typed \${Date.now()}\`, description: 'made by the typed client', leadProvider: null, distributionType: 'none', distributionGroupId: null, defaultAgentId: user.id };
  const campaign: Campaign = await call('POST', '/api/campaigns', newCampaign);
  const leadProvider: string | null = campaign.leadProvider;

  const lead: Lead = { FirstName: 'Ada', LastName: 'Typed', MobilePhone: '(512) 555-0177', PropertyState: 'TX', LoanAmount: 250000, Referrer: 'typed client' };
  const envelope: Envelope = await call('POST', \`/api/action-post/\${campaign.id}\`, lead, { 'x-api-key': campaign.apiKey });
  const prospectId: string | null = envelope.Data?.ProspectId ?? null;
  if (!prospectId) throw new Error(\`no prospect: \${envelope.Message}\`);
  const prospect: Prospect = await call('GET', \`/api/prospects/\${prospectId}\`);
  const amount: number | null = prospect.loanAmount;
  const extra: Record<string, string> = prospect.extra;

  process.stdout.write(JSON.stringify({ userId: user.id, workPhone, campaignId: campaign.id, description: campaign.description, leadProvider, statusCode: envelope.StatusCode, prospect: { id: prospect.id, campaignId: prospect.campaignId, firstName: prospect.firstName, amount, extra } }));
}

main().catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exit(1);
});
`;

describe('OpenAPI document (/api/docs-json)', () => {
  let server: TestServer;
  let token: string;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>; components: { schemas: Record<string, Json> } };
  const dir = path.join(IT_DIR, 'openapi-client');

  beforeAll(async () => {
    server = await startServer();
    const res = await server.request('GET', '/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    token = await server.login();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('gives every object schema its members (no bare `type: object`, e.g. for nullable fields)', () => {
    expect(shapelessObjects(doc as unknown as Json)).toEqual([]);
  });

  it('resolves every $ref', () => {
    const missing = refs(doc as unknown as Json).filter((ref) => !doc.components.schemas[ref.replace('#/components/schemas/', '')]);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('describes the body of every answer but 204', () => {
    const bare = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([status, r]) => status !== '204' && /^2/.test(status) && !r.content)
          .map(([status]) => `${method.toUpperCase()} ${route} ${status}`),
      ),
    );
    expect(bare).toEqual([]);
  });

  it('generates TypeScript that equals the server types, and a client written against it type-checks and works', async () => {
    writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(doc));
    await run(process.execPath, [path.join(REPO, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), 'openapi.json', '-o', 'api.d.ts'], { cwd: dir });

    // Request DTOs and answers: the generated type and the server's own type, each assignable to the other.
    const schemas = Object.keys(doc.components.schemas);
    const dtos = [...dtoClasses()].filter(([name]) => schemas.includes(name));
    expect(dtos.map(([name]) => name)).toEqual(expect.arrayContaining(['CreateUserDto', 'UpdateUserDto', 'CreateCampaignDto', 'UpdateCampaignDto']));
    const registry = /export interface ApiViews \{([^}]*)\}/.exec(readFileSync(path.join(SERVER_SRC, 'openapi', 'api-views.ts'), 'utf8'))![1];
    const views = [...registry.matchAll(/^ {2}(\w+): \w+;$/gm)].map((m) => m[1]);
    expect(views.length).toBeGreaterThan(20);
    const importOf = (file: string) => path.relative(dir, file).replace(/\.ts$/, '');
    writeFileSync(
      path.join(dir, 'same-types.ts'),
      [
        "import type { components } from './api';",
        `import type { ApiViews } from '${importOf(path.join(SERVER_SRC, 'openapi', 'api-views.ts'))}';`,
        ...dtos.map(([name, file]) => `import type { ${name} } from '${importOf(file)}';`),
        'type S = components["schemas"];',
        'type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;',
        ...dtos.map(([name]) => `export const dto${name}: Same<S['${name}'], ${name}> = true;`),
        ...views.map((name) => `export const view${name}: Same<S['${name}'], ApiViews['${name}']> = true;`),
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'client.ts'), CLIENT);
    const problems = typeCheck(dir, ['same-types.ts', 'client.ts']);
    // A view type changed without its schema: scripts/gen-view-schemas.sh regenerates them.
    if (problems.some((p) => p.startsWith('same-types.ts'))) problems.push('(a view or DTO and its published schema differ: run scripts/gen-view-schemas.sh after changing a view)');
    expect(problems).toEqual([]);

    writeFileSync(path.join(dir, 'client.js'), ts.transpileModule(CLIENT, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
    const { stdout } = await run(process.execPath, ['client.js'], { cwd: dir, env: { ...process.env, LEADLINE_URL: server.url, LEADLINE_TOKEN: token } });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ workPhone: '+15125550188', description: 'made by the typed client', leadProvider: null, statusCode: 1, prospect: { campaignId: out.campaignId, firstName: 'Ada', amount: 250000, extra: { Referrer: 'typed client' } } });
  }, 120_000);
});
