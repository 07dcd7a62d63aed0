import { recordingLinkProblem, recordingLinkSignature, recordingLinkUrl } from './recording-link.util';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const OTHER_KEY = Buffer.from('fedcba9876543210fedcba9876543210');
const ID = '6f1c1a52-3c0e-4a8e-9a51-2f3f0b0f7c11';
const OTHER_ID = '6f1c1a52-3c0e-4a8e-9a51-2f3f0b0f7c12';
const EXPIRES = 1_765_000_000;
const GOOD = recordingLinkSignature(KEY, ID, EXPIRES);

describe('recordingLinkUrl', () => {
  it('names the leg, the expiry and the signature', () => {
    expect(recordingLinkUrl('https://leads.example.com', ID, EXPIRES, KEY)).toBe(`https://leads.example.com/api/recording-links/${ID}?expires=${EXPIRES}&signature=${GOOD}`);
  });
});

describe('recordingLinkProblem', () => {
  const at = (s: number) => new Date(s * 1000);
  it.each([
    ['a good link before it expires', KEY, ID, String(EXPIRES), GOOD, EXPIRES - 60, null],
    ['a good link at its last second', KEY, ID, String(EXPIRES), GOOD, EXPIRES, null],
    ['a good link after it expired', KEY, ID, String(EXPIRES), GOOD, EXPIRES + 1, 'expired'],
    ['a later expiry with the old signature', KEY, ID, String(EXPIRES + 86_400), GOOD, EXPIRES, 'bad_signature'],
    ["another leg's id", KEY, OTHER_ID, String(EXPIRES), GOOD, EXPIRES - 60, 'bad_signature'],
    ['signed with another key', OTHER_KEY, ID, String(EXPIRES), GOOD, EXPIRES - 60, 'bad_signature'],
    ['no signature', KEY, ID, String(EXPIRES), undefined, EXPIRES - 60, 'malformed'],
    ['a short signature', KEY, ID, String(EXPIRES), GOOD.slice(2), EXPIRES - 60, 'malformed'],
    ['an upper-case signature', KEY, ID, String(EXPIRES), GOOD.toUpperCase(), EXPIRES - 60, 'malformed'],
    ['no expiry', KEY, ID, undefined, GOOD, EXPIRES - 60, 'malformed'],
    ['an expiry that is not a number', KEY, ID, '1e12', GOOD, EXPIRES - 60, 'malformed'],
    ['repeated query parameters (an array)', KEY, ID, [String(EXPIRES), String(EXPIRES)], GOOD, EXPIRES - 60, 'malformed'],
  ])('%s → %s', (_name, key, id, expires, signature, now, expected) => {
    expect(recordingLinkProblem({ key, callActivityId: id, expires, signature, now: at(now) })).toBe(expected);
  });
});
