import { ConfigSources, loadDeskConfig } from './desk-config';

const sources = (overrides: Partial<ConfigSources> = {}): ConfigSources => ({
  argv: [],
  env: {},
  readFile: () => undefined,
  homedir: '/home/agent',
  platform: 'linux',
  ...overrides,
});

describe('loadDeskConfig', () => {
  it('reads the command line', () => {
    const result = loadDeskConfig(sources({ argv: ['--server', 'http://pbx:3000', '--token=abc', '--device', 'Kuando', '--transport', 'file:/tmp/l.jsonl'] }));
    expect(result).toEqual({
      ok: true,
      config: expect.objectContaining({ command: 'run', server: 'http://pbx:3000', token: 'abc', device: 'kuando', transport: { kind: 'file', path: '/tmp/l.jsonl' } }),
    });
  });

  it('takes the command line over the environment over the file', () => {
    const file = JSON.stringify({ server: 'http://file', token: 'file-token', device: 'luxafor', logLevel: 'debug' });
    const result = loadDeskConfig(
      sources({
        argv: ['--server', 'http://cli'],
        env: { LEADLINE_SERVER: 'http://env', LEADLINE_DEVICE_TOKEN: 'env-token' },
        readFile: (f) => (f === '/home/agent/.config/leadline/desk.json' ? file : undefined),
      }),
    );
    expect(result).toEqual({ ok: true, config: expect.objectContaining({ server: 'http://cli', token: 'env-token', device: 'luxafor', logLevel: 'debug', transport: { kind: 'hid' } }) });
  });

  it('honours XDG_CONFIG_HOME and --config', () => {
    const seen: string[] = [];
    loadDeskConfig(sources({ env: { XDG_CONFIG_HOME: '/xdg' }, readFile: (f) => void seen.push(f) as undefined }));
    loadDeskConfig(sources({ argv: ['--list', '--config', '/etc/desk.json'], readFile: (f) => void seen.push(f) as undefined }));
    expect(seen).toEqual(['/xdg/leadline/desk.json', '/etc/desk.json']);
  });

  it.each<[NodeJS.Platform, Record<string, string>, string, string]>([
    ['linux', {}, '/home/agent', '/home/agent/.config/leadline/desk.json'],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/agent', '/xdg/leadline/desk.json'],
    ['darwin', {}, '/Users/agent', '/Users/agent/Library/Application Support/leadline/desk.json'],
    ['win32', { APPDATA: 'C:\\Users\\agent\\AppData\\Roaming' }, 'C:\\Users\\agent', 'C:\\Users\\agent\\AppData\\Roaming\\leadline\\desk.json'],
    ['win32', {}, 'C:\\Users\\agent', 'C:\\Users\\agent\\AppData\\Roaming\\leadline\\desk.json'],
  ])('on %s (env %j, home %s) the config file is %s', (platform, env, homedir, expected) => {
    const seen: string[] = [];
    loadDeskConfig(sources({ platform, env, homedir, readFile: (f) => void seen.push(f) as undefined }));
    expect(seen).toEqual([expected]);
  });

  it('takes --log-file (or LEADLINE_DESK_LOG_FILE) as an absolute path', () => {
    expect(loadDeskConfig(sources({ argv: ['--list', '--log-file', '/var/tmp/desk.log'] }))).toEqual({ ok: true, config: expect.objectContaining({ logFile: '/var/tmp/desk.log' }) });
    expect(loadDeskConfig(sources({ argv: ['--list'], env: { LEADLINE_DESK_LOG_FILE: '/tmp/d.log' } }))).toEqual({ ok: true, config: expect.objectContaining({ logFile: '/tmp/d.log' }) });
    expect(loadDeskConfig(sources({ argv: ['--list'] }))).toEqual({ ok: true, config: expect.not.objectContaining({ logFile: expect.anything() }) });
  });

  it.each([
    [[], ['--server (or LEADLINE_SERVER) is required', '--token (or LEADLINE_DEVICE_TOKEN) is required']],
    [['--server', 'pbx:3000', '--token', 't'], ['--server must be an http:// or https:// URL']],
    [['--list', '--device', 'lava'], ['--device must be auto or one of kuando, embrava, luxafor, blink1']],
    [['--list', '--transport', 'usb'], ['--transport must be hid or file:/path/to/log.jsonl']],
    [['--list', '--bogus'], ['unknown argument --bogus']],
    [['--list', '--config', '/nope.json'], ['config file /nope.json not found']],
  ])('%j is refused', (argv, errors) => expect(loadDeskConfig(sources({ argv }))).toEqual({ ok: false, errors }));

  it('needs no server for --list, --test and --help', () => {
    for (const [flag, command] of [
      ['--list', 'list'],
      ['--test', 'test'],
      ['--help', 'help'],
    ]) {
      expect(loadDeskConfig(sources({ argv: [flag!] }))).toEqual({ ok: true, config: expect.objectContaining({ command }) });
    }
  });

  it('reports a malformed config file', () => {
    const result = loadDeskConfig(sources({ argv: ['--list'], readFile: () => '{"server": 3, "colour": "x"}' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toMatch(/desk\.json/);
  });
});
