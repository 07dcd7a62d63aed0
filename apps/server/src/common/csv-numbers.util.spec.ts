import { csvNumberRows } from './csv-numbers.util';

describe('csvNumberRows (carrier inventory and do-not-call uploads)', () => {
  const values = (text: string) => {
    const csv = csvNumberRows(text);
    return csv.ok ? csv.rows.map((r) => r.value) : csv.message;
  };

  it.each([
    ['one number a line', '5125550101\n5125550102\n', ['5125550101', '5125550102']],
    ['a header line and CRLF', 'number\r\n+15125550101\r\n', ['+15125550101']],
    ['first column of a carrier export, quoted', '"DID","Rate Center"\n"(512) 555-0101","AUSTIN"\n', ['(512) 555-0101']],
    ['a quoted field with a comma before the number column', '"Rate Center",DID\n"AUSTIN, TX",(512) 555-0101\n"SAN ANTONIO, TX",210-555-0102\n', ['(512) 555-0101', '210-555-0102']],
    ['a quoted note with a comma and a line break', 'phone,note\n5125550101,"asked, twice\nby letter"\n5125550102,\n', ['5125550101', '5125550102']],
    ['a header without a known name is still a header', 'Numbers we own\n5125550101\n', ['5125550101']],
    ['semicolons (spreadsheet export)', 'TN;Rate center\n5125550101;AUSTIN\n', ['5125550101']],
    ['blank lines and empty rows skipped', '\n\n512-555-0101\n,,\n\n', ['512-555-0101']],
    ['nothing', '', []],
  ])('%s', (_name, text, expected) => expect(values(text)).toEqual(expected));

  it('keeps line numbers and notes', () => {
    expect(csvNumberRows('phone,reason\n\n5125550101,"stop, please"\n,empty')).toEqual({
      ok: true,
      rows: [
        { line: 3, value: '5125550101', note: 'stop, please' },
        { line: 4, value: '', note: 'empty' },
      ],
    });
  });

  it('refuses an unclosed quote whole', () => expect(values('phone\n"5125550101\n')).toMatch(/^not a readable CSV/));
});
