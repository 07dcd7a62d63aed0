import { checkWorkPhone, onePerPhone, physicalPhoneKey } from './work-phone.util';

describe('checkWorkPhone', () => {
  it.each([
    [null, null, { ok: true, workPhone: null }],
    ['sip_desk', undefined, { ok: true, workPhone: null }],
    ['external', '(512) 555-0142', { ok: true, workPhone: '+15125550142' }],
    ['static_ip', '10.0.0.12', { ok: true, workPhone: '10.0.0.12' }],
    ['static_ip', '10.0.0.12:5062', { ok: true, workPhone: '10.0.0.12:5062' }],
    ['static_ip', 'phone-12.office.lan', { ok: true, workPhone: 'phone-12.office.lan' }],
  ] as const)('%s %j is accepted', (type, phone, expected) => expect(checkWorkPhone(type, phone)).toEqual(expected));

  it.each([
    [null, '5125550142'],
    ['sip_desk', '5125550142'],
    ['external', 'nope'],
    ['external', null],
    ['static_ip', 'bad host!'],
    ['static_ip', '10.0.0.12:99999'],
  ] as const)('%s %j is refused', (type, phone) => expect(checkWorkPhone(type, phone).ok).toBe(false));
});

describe('physicalPhoneKey', () => {
  it.each([
    [{ workPhoneType: 'sip_desk', sipUsername: 'ph-a' }, 'sip:ph-a'],
    [{ workPhoneType: 'static_ip', workPhone: '10.0.0.12', sipUsername: 'ph-b' }, 'ip:10.0.0.12:5060'],
    [{ workPhoneType: 'static_ip', workPhone: '10.0.0.12:5060', sipUsername: 'ph-c' }, 'ip:10.0.0.12:5060'],
    [{ workPhoneType: 'static_ip', workPhone: '10.0.0.12:5062', sipUsername: 'ph-c' }, 'ip:10.0.0.12:5062'],
    [{ workPhoneType: 'static_ip', workPhone: 'Phone-12.Office.lan', sipUsername: 'ph-d' }, 'ip:phone-12.office.lan:5060'],
    [{ workPhoneType: 'external', workPhone: '+15125550142' }, 'tel:+15125550142'],
    [{ workPhoneType: 'static_ip', workPhone: '10.0.0.12', sipUsername: null }, null], // no endpoint yet
    [{ workPhoneType: 'sip_desk', sipUsername: null }, null],
    [{ workPhoneType: null }, null],
  ] as const)('%j → %s', (phone, key) => expect(physicalPhoneKey(phone)).toBe(key));
});

describe('onePerPhone', () => {
  const agent = (id: string, workPhoneType: 'sip_desk' | 'static_ip' | 'external', workPhone: string | null) => ({ id, phone: { workPhoneType, workPhone, sipUsername: `ph-${id}` } });
  it.each([
    ['two users of one static-IP phone: the first (longer idle) keeps it', [agent('a', 'static_ip', '10.0.0.12'), agent('b', 'static_ip', '10.0.0.12:5060')], ['a']],
    ['the same host on other ports is another phone', [agent('a', 'static_ip', '10.0.0.12:5060'), agent('b', 'static_ip', '10.0.0.12:5062')], ['a', 'b']],
    ['one external number shared', [agent('a', 'external', '+15125550142'), agent('b', 'external', '+15125550142'), agent('c', 'external', '+15125550143')], ['a', 'c']],
    ['desk phones are one per user', [agent('a', 'sip_desk', null), agent('b', 'sip_desk', null)], ['a', 'b']],
    ['order decides, not id', [agent('z', 'static_ip', '10.0.0.9'), agent('a', 'static_ip', '10.0.0.9')], ['z']],
  ])('%s', (_name, agents, ids) => expect(onePerPhone(agents, (a) => a.phone).map((a) => a.id)).toEqual(ids));
});
