import { checkWorkPhone } from './work-phone.util';

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
