import { fileFitsVendor, normalizeMac, parseProvisioningFile, phoneTimeZone, vendorOf } from './provisioning-file.util';
import { PhoneProfile, renderProvisioningFile } from './provisioning-templates.util';

describe('normalizeMac', () => {
  it.each([
    ['00:15:65:AB:cd:EF', '001565abcdef'],
    ['00-15-65-ab-cd-ef', '001565abcdef'],
    ['001565ABCDEF', '001565abcdef'],
    ['0004.f2ab.cdef', '0004f2abcdef'],
    ['000000000000', null],
    ['ffffffffffff', null],
    ['00156', null],
    ['00:15:65:ab:cd:eg', null],
  ])('%s → %s', (input, expected) => expect(normalizeMac(input)).toBe(expected));
});

describe('parseProvisioningFile', () => {
  it.each([
    ['y000000000000.cfg', { kind: 'common', vendor: 'yealink' }],
    ['000000000000.cfg', { kind: 'common', vendor: 'poly' }],
    ['001565ABCDEF.cfg', { kind: 'mac', mac: '001565abcdef', part: 'cfg' }],
    ['0004f2abcdef-leadline.cfg', { kind: 'mac', mac: '0004f2abcdef', part: 'poly-settings' }],
    ['cfg000b82abcdef.xml', { kind: 'mac', mac: '000b82abcdef', part: 'grandstream' }],
    ['cfg000b82abcdef', { kind: 'mac', mac: '000b82abcdef', part: 'grandstream' }],
    ['ffffffffffff.cfg', null],
    ['sip.ld', null],
    ['../etc/passwd', null],
    ['001565abcdef.cfg.bak', null],
  ])('%s', (name, expected) => expect(parseProvisioningFile(name)).toEqual(expected));
});

describe('vendorOf', () => {
  const mac = parseProvisioningFile('001565abcdef.cfg')!;
  it.each([
    ['Yealink SIP-T46S 66.86.0.15 00:15:65:ab:cd:ef', mac, 'yealink'],
    ['FileTransport PolycomVVX-VVX_450-UA/6.3.1.8427', mac, 'poly'],
    ['Grandstream Model HW GXP2170 SW 1.0.11.3 DevId 000b82abcdef', mac, 'grandstream'],
    [undefined, mac, null],
    [undefined, parseProvisioningFile('cfg000b82abcdef.xml')!, 'grandstream'],
    ['curl/8', parseProvisioningFile('y000000000000.cfg')!, 'yealink'],
  ])('%s', (ua, file, expected) => expect(vendorOf(ua, file)).toBe(expected));
});

describe('fileFitsVendor', () => {
  it.each([
    ['y000000000000.cfg', 'yealink', true],
    ['y000000000000.cfg', 'poly', false],
    ['001565abcdef.cfg', 'yealink', true],
    ['001565abcdef.cfg', 'poly', true],
    ['001565abcdef.cfg', 'grandstream', false],
    ['001565abcdef-leadline.cfg', 'yealink', false],
    ['cfg001565abcdef.xml', 'grandstream', true],
    ['cfg001565abcdef.xml', 'yealink', false],
  ] as const)('%s for %s: %s', (name, vendor, expected) => expect(fileFitsVendor(parseProvisioningFile(name)!, vendor)).toBe(expected));
});

describe('phoneTimeZone', () => {
  it.each([
    ['America/New_York', -300, true],
    ['America/Phoenix', -420, false],
    ['Pacific/Honolulu', -600, false],
    ['Asia/Kolkata', 330, false],
    ['Australia/Sydney', 600, true],
    ['UTC', 0, false],
  ])('%s', (zone, offset, dst) => expect(phoneTimeZone(zone, 2026)).toEqual({ standardOffsetMinutes: offset, daylightSaving: dst }));
});

describe('renderProvisioningFile', () => {
  const profile: PhoneProfile = {
    mac: '001565abcdef',
    sip: { host: 'pbx.example.com', port: 5060 },
    account: { username: 'agent123456', password: 'p<a>"ss&word', displayName: 'Ada "A" Lovelace\nX', extension: '1001' },
    timeZone: { standardOffsetMinutes: -300, daylightSaving: true },
    ntpServer: 'pool.ntp.org',
    blf: [
      { extension: '1002', label: 'Grace Hopper' },
      { extension: '1003', label: 'Alan <Turing>' },
    ],
  };
  const yealinkValues = (body: string) => new Map(body.split('\n').filter((l) => l.includes(' = ')).map((l) => l.split(' = ') as [string, string]));

  it('Yealink <mac>.cfg: the version header, the account, time zone and dial-now rules', () => {
    const { body } = renderProvisioningFile('yealink', parseProvisioningFile('001565abcdef.cfg')!, profile);
    expect(body.startsWith('#!version:1.0.0.1\n')).toBe(true);
    const v = yealinkValues(body);
    expect(Object.fromEntries(v)).toMatchObject({
      'account.1.enable': '1',
      'account.1.user_name': 'agent123456',
      'account.1.auth_name': 'agent123456',
      'account.1.password': 'p<a>"ss&word',
      'account.1.display_name': 'Ada "A" Lovelace X',
      'account.1.sip_server.1.address': 'pbx.example.com',
      'account.1.sip_server.1.port': '5060',
      'local_time.time_zone': '-5',
      'local_time.summer_time': '2',
      'dialplan.dialnow.rule.1': '[2-9]11',
    });
  });

  it('BLF keys for the colleagues: Yealink line keys 2… (type 16), Poly attendant list, Grandstream multi-purpose keys; none on an unassigned phone', () => {
    const y = yealinkValues(renderProvisioningFile('yealink', parseProvisioningFile('001565abcdef.cfg')!, profile).body);
    expect(Object.fromEntries([...y].filter(([k]) => k.startsWith('linekey.')))).toEqual({
      'linekey.2.type': '16',
      'linekey.2.line': '1',
      'linekey.2.value': '1002',
      'linekey.2.label': 'Grace Hopper',
      'linekey.3.type': '16',
      'linekey.3.line': '1',
      'linekey.3.value': '1003',
      'linekey.3.label': 'Alan <Turing>',
    });
    const poly = renderProvisioningFile('poly', parseProvisioningFile('001565abcdef-leadline.cfg')!, profile).body;
    expect(poly).toContain('attendant.resourceList.2.address="1003"');
    expect(poly).toContain('attendant.resourceList.2.label="Alan &lt;Turing&gt;"');
    const gs = renderProvisioningFile('grandstream', parseProvisioningFile('cfg001565abcdef.xml')!, profile).body;
    // MPK 1: mode P323, account P301, name P302, value P303; MPK 2: P324, P304, P305, P306.
    for (const v of ['<P323>1</P323>', '<P301>0</P301>', '<P302>Grace Hopper</P302>', '<P303>1002</P303>', '<P324>1</P324>', '<P304>0</P304>', '<P305>Alan &lt;Turing&gt;</P305>', '<P306>1003</P306>']) expect(gs).toContain(v);
    const many = { ...profile, blf: Array.from({ length: 15 }, (_, i) => ({ extension: String(2000 + i), label: `U${i}` })) };
    const gsMany = renderProvisioningFile('grandstream', parseProvisioningFile('cfg001565abcdef.xml')!, many).body;
    // MPK 7 is the last of the first block (P329; value P321), MPK 8 starts the second (P353…P356), MPK 10 is P361…P364.
    for (const v of ['<P329>1</P329>', '<P321>2006</P321>', '<P353>1</P353>', '<P354>0</P354>', '<P355>U7</P355>', '<P356>2007</P356>', '<P361>1</P361>', '<P364>2009</P364>']) expect(gsMany).toContain(v);
    expect(gsMany).not.toContain('<P365>');
    expect(renderProvisioningFile('grandstream', parseProvisioningFile('cfg001565abcdef.xml')!, { ...profile, account: null }).body).not.toContain('<P323>');
    expect(renderProvisioningFile('yealink', parseProvisioningFile('001565abcdef.cfg')!, many).body.match(/type = 16/g)).toHaveLength(10);
    expect(renderProvisioningFile('yealink', parseProvisioningFile('001565abcdef.cfg')!, { ...profile, account: null }).body).not.toContain('linekey');
  });

  it('the Message key of every vendor dials the voicemail access number *97; not on an unassigned phone', () => {
    const file = (vendor: 'yealink' | 'poly' | 'grandstream', name: string, p = profile) => renderProvisioningFile(vendor, parseProvisioningFile(name)!, p).body;
    expect(yealinkValues(file('yealink', '001565abcdef.cfg')).get('voice_mail.number.1')).toBe('*97');
    expect(file('poly', '001565abcdef-leadline.cfg')).toContain('msg.mwi.1.callBackMode="contact"');
    expect(file('poly', '001565abcdef-leadline.cfg')).toContain('msg.mwi.1.callBack="*97"');
    expect(file('grandstream', 'cfg001565abcdef.xml')).toContain('<P33>*97</P33>');
    const unassigned = { ...profile, account: null };
    expect(file('yealink', '001565abcdef.cfg', unassigned)).not.toContain('voice_mail');
    expect(file('poly', '001565abcdef-leadline.cfg', unassigned)).not.toContain('msg.mwi');
    expect(file('grandstream', 'cfg001565abcdef.xml', unassigned)).not.toContain('<P33>');
  });

  it('an unassigned phone gets its line disabled and no account', () => {
    const { body } = renderProvisioningFile('yealink', parseProvisioningFile('001565abcdef.cfg')!, { ...profile, account: null });
    expect(yealinkValues(body).get('account.1.enable')).toBe('0');
    expect(body).not.toContain('agent');
    const gs = renderProvisioningFile('grandstream', parseProvisioningFile('cfg001565abcdef.xml')!, { ...profile, account: null }).body;
    expect(gs).toContain('<P271>0</P271>');
    expect(gs).not.toContain('<P34>');
  });

  it('Poly: the master file lists <mac>-leadline.cfg; that one holds the account, XML-escaped', () => {
    const master = renderProvisioningFile('poly', parseProvisioningFile('000000000000.cfg')!, null).body;
    expect(master).toContain('CONFIG_FILES="[PHONE_MAC_ADDRESS]-leadline.cfg"');
    const settings = renderProvisioningFile('poly', parseProvisioningFile('001565abcdef-leadline.cfg')!, profile).body;
    expect(settings).toContain('reg.1.auth.password="p&lt;a&gt;&quot;ss&amp;word"');
    expect(settings).toContain('reg.1.server.1.address="pbx.example.com"');
    expect(settings).toContain('tcpIpApp.sntp.gmtOffset="-18000"');
  });

  it('Grandstream: P-values for the account, the MAC, the time zone as minutes + 720', () => {
    const { body } = renderProvisioningFile('grandstream', parseProvisioningFile('cfg001565abcdef.xml')!, profile);
    expect(body).toContain('<mac>001565abcdef</mac>');
    expect(body).toContain('<P47>pbx.example.com:5060</P47>');
    expect(body).toContain('<P35>agent123456</P35>');
    expect(body).toContain('<P34>p&lt;a&gt;&quot;ss&amp;word</P34>');
    expect(body).toContain('<P64>420</P64>');
  });
});
