import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from './app-config';
import { CONFIG_NAMES, configDefault, envTemplateProblems, markdownTableDefaults, parseEnvTemplate, referenceProblems } from './config-reference';

const REPO = join(__dirname, '../../../..');

/** A template that documents every variable correctly (each left at its default). */
function goodTemplate(): string {
  return CONFIG_NAMES.map((name) => `# ${CONFIG_VARIABLES[name].description}\n# Default: ${configDefault(name) ?? 'none'}\n#${name}=${configDefault(name) ?? ''}\n`).join('\n');
}

describe('config references', () => {
  it('reads the defaults from the schema', () => {
    expect(configDefault('PORT')).toBe('3000');
    expect(configDefault('JWT_TTL_SECONDS')).toBe('43200');
    expect(configDefault('HOST')).toBe('127.0.0.1');
    expect(configDefault('ARI_PASSWORD')).toBeUndefined();
    expect(configDefault('PUBLIC_BASE_URL')).toBeUndefined();
  });

  it('accepts a template that lists every variable with its default', () => {
    expect(envTemplateProblems(goodTemplate())).toEqual([]);
  });

  it.each([
    ['a variable left out', (t: string) => t.replace(/^#PORT=.*$/m, ''), 'PORT: not listed'],
    ['a wrong default stated', (t: string) => t.replace('# Default: 3000', '# Default: 8080'), 'PORT: states default "8080"'],
    ['no default stated', (t: string) => t.replace('# Default: 3000\n', ''), 'PORT: no default stated'],
    ['a commented-out line showing another value', (t: string) => t.replace('#PORT=3000', '#PORT=8080'), 'PORT: commented out with "8080"'],
  ])('reports %s', (_name, mutate, problem) => {
    expect(envTemplateProblems(mutate(goodTemplate())).join('\n')).toContain(problem);
  });

  it('refuses a variable assigned twice', () => {
    expect(() => parseEnvTemplate('PORT=1\n#PORT=2\n')).toThrow('PORT is assigned twice');
  });

  it('tells set lines from commented-out ones and ties each to its Default line', () => {
    expect(parseEnvTemplate('# Secret.\n# Default: none\nARI_PASSWORD=\n\n# Default: 3000\n#PORT=3000\n# prose = not an assignment\n')).toEqual([
      { name: 'ARI_PASSWORD', commented: false, value: '', stated: 'none' },
      { name: 'PORT', commented: true, value: '3000', stated: '3000' },
    ]);
  });

  it('reads the defaults out of a markdown table', () => {
    const doc = '| Variable | Default |\n|---|---|\n| `PORT` | `3000` | x |\n| `JWT_SECRET` | generated | yes |\n';
    expect(markdownTableDefaults(doc)).toEqual(new Map([['PORT', '3000'], ['JWT_SECRET', 'generated']]));
    expect(referenceProblems(new Map([['PORT', '3001']]), { defaultRequired: false })).toContain('PORT: states default "3001", the code\'s is "3000"');
  });

  it('deploy/leadline.env.example lists every setting of AppConfig with its default', () => {
    const template = readFileSync(join(REPO, 'deploy/leadline.env.example'), 'utf8');
    expect(envTemplateProblems(template)).toEqual([]);
    const entries = parseEnvTemplate(template);
    // what an installation must set: the secrets are empty, to be filled in (no default passwords)
    const set = Object.fromEntries(entries.filter((e) => !e.commented).map((e) => [e.name, e.value]));
    expect(set).toMatchObject({ ARI_PASSWORD: '', JWT_SECRET: '', NODE_ENV: 'production', LEADLINE_DATA_DIR: '/var/lib/leadline' });
    // the optional scale-out settings are documented but left unset
    expect(entries.find((e) => e.name === 'DATABASE_URL')).toMatchObject({ commented: true, value: '' });
    expect(entries.find((e) => e.name === 'REDIS_URL')).toMatchObject({ commented: true, value: '' });
  });

  it('names only settings the server or scripts/asterisk.sh reads (no typos)', () => {
    const asteriskScript = readFileSync(join(REPO, 'scripts/asterisk.sh'), 'utf8');
    const template = readFileSync(join(REPO, 'deploy/leadline.env.example'), 'utf8');
    // REDIS_URL: the scale-out setting being added next to this template (docs/deployment.md)
    const unknown = parseEnvTemplate(template)
      .map((e) => e.name)
      .filter((name) => !(name in CONFIG_VARIABLES) && name !== 'REDIS_URL' && !new RegExp(`\\b${name}\\b`).test(asteriskScript));
    expect(unknown).toEqual([]);
  });
});
