import { parse } from 'csv-parse/sync';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and one line per row, in the column order given, CRLF-terminated', () => {
    const csv = toCsv([{ b: 2, a: 'x' }, { b: null, a: 'y' }], ['a', 'b']);
    expect(csv).toBe('a,b\r\nx,2\r\ny,\r\n');
  });

  it.each([
    ['a comma and quotes survive a round trip', 'Smith, "Jr"', 'Smith, "Jr"'],
    ['a line break survives too', 'two\nlines', 'two\nlines'],
    ['a formula is defused', '=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['so are +, -, @ and tab starts', '-1+2', "'-1+2"],
    ['plain text is left alone', 'Zillow', 'Zillow'],
    ['a phone number is no formula', '+15125550100', '+15125550100'],
    ['nor a signed number written as text', '-12.5', '-12.5'],
  ])('%s', (_name, value, expected) => {
    const [row] = parse(toCsv([{ v: value }], ['v']), { columns: true }) as { v: string }[];
    expect(row.v).toBe(expected);
  });

  it('keeps negative numbers as numbers and drops non-finite ones', () => {
    expect(toCsv([{ n: -3 }, { n: Number.NaN }, { n: 0.25 }], ['n'])).toBe('n\r\n-3\r\n\r\n0.25\r\n');
  });
});
