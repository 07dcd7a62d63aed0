import { parsePhonesCsv } from './phones-csv.util';

describe('parsePhonesCsv', () => {
  it('keeps good rows and lists bad ones with their line and why', () => {
    const csv = ['MAC,Vendor,Label,User', '00:15:65:AA:BB:01,yealink,Front desk,ada@x.test', '0004f2aabb02,Poly,,1002', 'zz,yealink,,', '000b82aabb03,cisco,,', '001565aabb01,yealink,again,', ',yealink,,', '"000b82aabb04",grandstream,"Desk, 4",'].join('\n');
    expect(parsePhonesCsv(csv)).toEqual({
      ok: true,
      rows: [
        { line: 2, mac: '001565aabb01', vendor: 'yealink', label: 'Front desk', user: 'ada@x.test' },
        { line: 3, mac: '0004f2aabb02', vendor: 'poly', label: null, user: '1002' },
        { line: 8, mac: '000b82aabb04', vendor: 'grandstream', label: 'Desk, 4', user: null },
      ],
      rejected: [
        { line: 4, value: 'zz', message: '"zz" is not a MAC address (12 hex digits)' },
        { line: 5, value: '000b82aabb03', message: 'vendor must be one of yealink, poly, grandstream (got "cisco")' },
        { line: 6, value: '001565aabb01', message: 'this MAC is already on an earlier line' },
        { line: 7, value: '', message: 'no MAC in this row' },
      ],
    });
  });

  it.each([
    ['no header', '001565aabb01,yealink\n', 'the first line must name the columns'],
    ['only a header', 'mac,vendor\n', 'the CSV has no rows'],
    ['nothing', '', 'the CSV is empty'],
    ['an unclosed quote', 'mac,vendor\n"001565aabb01,yealink\n', 'not a readable CSV'],
  ])('refuses %s whole', (_name, text, message) => {
    const res = parsePhonesCsv(text);
    expect(res.ok).toBe(false);
    expect(res.ok ? '' : res.message).toContain(message);
  });

  it('reads semicolon-separated spreadsheet exports', () => {
    expect(parsePhonesCsv('mac;vendor\n001565aabb01;Yealink\n')).toMatchObject({ ok: true, rows: [{ mac: '001565aabb01', vendor: 'yealink' }] });
  });
});
