import { checkAsteriskVersion, parseAsteriskVersion } from './asterisk-version.util';

describe('parseAsteriskVersion', () => {
  it.each([
    ['22.10.1', [22, 10, 1]],
    ['22.10.1+dfsg+~cs6.17.60671434-1', [22, 10, 1]],
    ['22.11.0-rc1', [22, 11, 0]],
    ['16.28.0~dfsg-0+deb11u3', [16, 28, 0]],
    ['certified-20.7-cert5', [20, 7, 0]],
    ['23.1', [23, 1, 0]],
  ])('%s', (raw, [major, minor, patch]) => {
    expect(parseAsteriskVersion(raw)).toMatchObject({ major, minor, patch });
  });

  it.each(['', 'GIT-master-abc123', 'SVN-trunk'])('cannot read %j', (raw) => {
    expect(parseAsteriskVersion(raw)).toBeNull();
  });
});

describe('checkAsteriskVersion', () => {
  it.each([
    ['22.10.1+dfsg+~cs6.17.60671434-1', true],
    ['22.10.2', true],
    ['22.11.0', true],
    ['23.0.0', true],
    ['22.10.0', false],
    ['22.9.0', false],
    ['20.20.1', false],
    ['16.28.0~dfsg-0+deb11u3', false],
    ['GIT-master-abc123', false],
    [undefined, false],
  ])('%s → runs calls: %s', (raw, ok) => {
    const verdict = checkAsteriskVersion(raw);
    expect(verdict.ok).toBe(ok);
    if (!verdict.ok) expect(verdict.reason).toContain('22.10.1');
  });
});
