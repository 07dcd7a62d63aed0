import { isSafeRecordingName, mayHearRecording } from './recording-access.util';

describe('isSafeRecordingName', () => {
  it.each([
    ['ringall-7d3f2c1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f-1732233445566', true],
    ['call_1.v2', true],
    ['..', false],
    ['.', false],
    ['../../etc/passwd', false],
    ['a/b', false],
    ['a%2Fb', false],
    ['name with space', false],
    ['', false],
    ['x'.repeat(201), false],
    ['naïve', false],
  ])('%s → %s', (name, expected) => expect(isSafeRecordingName(name)).toBe(expected));
});

describe('mayHearRecording', () => {
  it.each([
    ['an admin, any leg of the org', 'admin', 'someone', true],
    ['a manager, any leg of the org', 'manager', null, true],
    ['the agent on the leg', 'agent', 'me', true],
    ['another agent', 'agent', 'someone', false],
    ['an agent, a leg with no user', 'agent', null, false],
  ] as const)('%s → %s', (_name, role, legUserId, expected) => {
    expect(mayHearRecording({ viewer: { id: 'me', role }, legUserId })).toBe(expected);
  });
});
