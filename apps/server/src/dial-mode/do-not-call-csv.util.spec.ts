import { parseDoNotCallCsv } from './do-not-call-csv.util';

describe('parseDoNotCallCsv', () => {
  it.each<[string, string, unknown]>([
    [
      'header with phone and note; bad rows reported by line, good rows kept',
      'Phone,Note\n(512) 555-0142,asked us\nnot a phone,x\n\n212-555-0100,\n,empty\n',
      {
        ok: true,
        rows: [
          { line: 2, phone: '+15125550142', note: 'asked us' },
          { line: 5, phone: '+12125550100', note: null },
        ],
        errors: [
          { line: 3, value: 'not a phone', message: '"not a phone" is not a valid phone number' },
          { line: 6, value: '', message: 'no phone number in this row' },
        ],
      },
    ],
    ['no header: the first column', '5125550142\n+1 212 555 0100,ignored\n', { ok: true, rows: [{ line: 1, phone: '+15125550142', note: null }, { line: 2, phone: '+12125550100', note: null }], errors: [] }],
    ['the phone column anywhere, duplicates once', 'name,phone_number\nBea,5125550142\nBea again,512.555.0142\n', { ok: true, rows: [{ line: 2, phone: '+15125550142', note: null }], errors: [] }],
    ['empty', '\n\n', { ok: false, message: 'the CSV has no rows' }],
  ])('%s', (_name, csv, expected) => {
    expect(parseDoNotCallCsv(csv)).toEqual(expected);
  });

  it('a broken quote is refused as a whole', () => {
    const result = parseDoNotCallCsv('phone\n"5125550142\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^not a readable CSV/);
  });
});
