import { escapeLike, likeContains } from './like-pattern.util';

describe('escapeLike / likeContains (every LIKE filter: lead lists, call activity, do-not-call)', () => {
  it.each([
    ['Ada', 'Ada', '%Ada%'],
    ['100%', '100\\%', '%100\\%%'],
    ['a_b', 'a\\_b', '%a\\_b%'],
    ['50%_off', '50\\%\\_off', '%50\\%\\_off%'],
    ['back\\slash', 'back\\\\slash', '%back\\\\slash%'],
    // Quotes pass through: values are bound, never spliced.
    ["o'hara", "o'hara", "%o'hara%"],
    ["%' OR 1=1 --", "\\%' OR 1=1 --", "%\\%' OR 1=1 --%"],
    ['', '', '%%'],
  ])('%j', (term, escaped, pattern) => {
    expect(escapeLike(term)).toBe(escaped);
    expect(likeContains(term)).toBe(pattern);
  });
});
