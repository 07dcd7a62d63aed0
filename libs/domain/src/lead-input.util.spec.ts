import { leadChanges, parseLeadInput } from './lead-input.util';

describe('parseLeadInput', () => {
  it.each([
    ['JSON PascalCase', { FirstName: 'Ada', LastName: 'Lovelace', MobilePhone: '(512) 555-0142' }, { firstName: 'Ada', lastName: 'Lovelace', mobilePhone: '+15125550142' }],
    ['snake_case and aliases', { first_name: 'Ada', cell_phone: '512.555.0142', state: 'tx' }, { firstName: 'Ada', mobilePhone: '+15125550142', propertyState: 'TX' }],
    ['E.164 input', { phone: '+1 512 555 0142' }, { mobilePhone: '+15125550142' }],
    ['amount with $ and commas', { phone: '5125550142', LoanAmount: '$350,000' }, { loanAmount: 350000 }],
    ['numeric amount', { phone: '5125550142', loanAmount: 1200 }, { loanAmount: 1200 }],
    ['purpose alias', { phone: '5125550142', LoanPurposeType: 'Cash-Out Refinance' }, { loanPurpose: 'cash_out_refinance' }],
    ['email lower-cased', { phone: '5125550142', Email: 'Ada@Example.COM' }, { email: 'ada@example.com' }],
  ])('accepts %s', (_name, body, expected) => {
    const result = parseLeadInput(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.lead).toMatchObject(expected);
  });

  it('ignores blank values', () => {
    const result = parseLeadInput({ phone: '5125550142', FirstName: '   ', LoanAmount: '' });
    expect(result).toEqual({ ok: true, lead: { mobilePhone: '+15125550142', extra: {} }, phones: ['+15125550142'] });
  });

  it('keeps unknown fields as extra and lists distinct phones', () => {
    const result = parseLeadInput({ phone: '5125550142', HomePhone: '512-555-0142', WorkPhone: '2125550199', CreditScore: 720 });
    expect(result).toEqual({
      ok: true,
      lead: { mobilePhone: '+15125550142', homePhone: '+15125550142', workPhone: '+12125550199', extra: { CreditScore: '720' } },
      phones: ['+15125550142', '+12125550199'],
    });
  });

  it.each([
    ['not an object', 'hello', 'body'],
    ['an array', [{ phone: '5125550142' }], 'body'],
    ['no phone at all', { FirstName: 'Ada' }, 'mobilePhone'],
    ['an invalid phone', { phone: '123' }, 'mobilePhone'],
    ['a bad home phone beside a good mobile', { phone: '5125550142', HomePhone: 'call me' }, 'homePhone'],
    ['a bad state', { phone: '5125550142', state: 'Texas' }, 'propertyState'],
    ['a bad purpose', { phone: '5125550142', purpose: 'yacht' }, 'loanPurpose'],
    ['a negative amount', { phone: '5125550142', amount: '-5' }, 'loanAmount'],
    ['a non-numeric amount', { phone: '5125550142', amount: 'lots' }, 'loanAmount'],
    ['a bad email', { phone: '5125550142', email: 'nope' }, 'email'],
    ['a nested object', { phone: '5125550142', address: { city: 'Austin' } }, 'address'],
    ['an overlong value', { phone: '5125550142', notes: 'x'.repeat(201) }, 'notes'],
    ['two spellings that disagree', { FirstName: 'Ada', first_name: 'Bob', phone: '5125550142' }, 'first_name'],
  ])('refuses %s', (_name, body, field) => {
    const result = parseLeadInput(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(field);
  });

  it('refuses more than 50 unknown fields', () => {
    const body: Record<string, string> = { phone: '5125550142' };
    for (let i = 0; i < 51; i++) body[`custom${i}`] = 'x';
    expect(parseLeadInput(body).ok).toBe(false);
  });
});

describe('leadChanges', () => {
  const current = { firstName: 'Ada', mobilePhone: '+15125550142', loanAmount: 100, propertyState: null, extra: { a: '1' } };

  it('is empty when nothing the post carries differs', () => {
    expect(leadChanges(current, { firstName: 'Ada', mobilePhone: '+15125550142', extra: { a: '1' } })).toEqual({});
  });

  it('lists only changed fields, never clears missing ones', () => {
    expect(leadChanges(current, { loanAmount: 200, propertyState: 'TX', extra: {} })).toEqual({ loanAmount: 200, propertyState: 'TX' });
  });

  it('merges changed extra fields', () => {
    expect(leadChanges(current, { extra: { a: '1', b: '2' } })).toEqual({ extra: { a: '1', b: '2' } });
  });
});

describe('consent evidence (docs/compliance.md)', () => {
  const base = { MobilePhone: '512-555-0142' };
  const consentOf = (body: Record<string, unknown>) => {
    const r = parseLeadInput({ ...base, ...body });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.lead;
  };

  it('keeps every consent field exactly as posted, outside the free-form extras', () => {
    const text = 'By clicking Submit I agree that Example Lending may call and text me at the number above, including with automated technology. Consent is not a condition of purchase.';
    const lead = consentOf({
      ConsentText: `  ${text}  `,
      ConsentTimestamp: '2026-12-01T09:03:22-05:00',
      ConsentSourceUrl: 'https://rates.example.com/refi?utm_source=x',
      IpAddress: '203.0.113.7',
      xxTrustedFormCertUrl: 'https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567',
      Note: 'kept as an extra',
    });
    expect(lead.consent).toEqual({
      text,
      timestamp: '2026-12-01T09:03:22-05:00',
      at: '2026-12-01T14:03:22.000Z',
      sourceUrl: 'https://rates.example.com/refi?utm_source=x',
      ip: '203.0.113.7',
      certificate: 'https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567',
    });
    expect(lead.extra).toEqual({ Note: 'kept as an extra' });
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ['a Jornaya LeadiD token', { universal_leadid: 'F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F' }, { certificate: 'F0E1D2C3-B4A5-9687-7869-5A4B3C2D1E0F' }],
    ['Unix seconds', { tcpa_timestamp: '1764597802' }, { timestamp: '1764597802', at: '2025-12-01T14:03:22.000Z' }],
    ['a time with Z and a space', { ConsentDate: '2026-12-01 14:03:22Z' }, { timestamp: '2026-12-01 14:03:22Z', at: '2026-12-01T14:03:22.000Z' }],
    ['a time without a zone: kept, no instant', { ConsentDate: '2026-12-01 09:03:22' }, { timestamp: '2026-12-01 09:03:22' }],
    ['an IPv6 address', { consent_ip: '2001:db8::7' }, { ip: '2001:db8::7' }],
    ['no consent field: none', {}, undefined],
  ])('%s', (_name, body, expected) => {
    expect(consentOf(body).consent).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a timestamp that is no date', { ConsentTimestamp: 'yesterday' }, 'consentTimestamp'],
    ['a source that is no web address', { ConsentSourceUrl: 'javascript:alert(1)' }, 'consentSourceUrl'],
    ['an IP that is none', { IpAddress: '999.1.1.1' }, 'consentIp'],
    ['consent text over 5000 characters', { ConsentText: 'x'.repeat(5001) }, 'ConsentText'],
    ['two spellings that disagree', { ConsentIp: '203.0.113.7', IpAddress: '203.0.113.8' }, 'IpAddress'],
  ])('refuses %s', (_name, body, field) => {
    const r = parseLeadInput({ ...base, ...body });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toContain(field);
  });
});
