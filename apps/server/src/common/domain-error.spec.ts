import { ErrorCode, httpStatusOf } from './domain-error';

describe('httpStatusOf', () => {
  it('maps every code to a 4xx or 503', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = httpStatusOf(code);
      expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
    }
  });

  it.each([
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.InvalidCampaignKey, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.CampaignNotFound, 404],
    [ErrorCode.LeadAlreadyAssigned, 409],
    [ErrorCode.NumberNotFound, 404],
    [ErrorCode.MappingNotFound, 404],
    [ErrorCode.NoNumberAvailable, 409],
    [ErrorCode.MappingExists, 409],
    [ErrorCode.AgentUnavailable, 409],
    [ErrorCode.RateLimited, 429],
  ])('%s → %d', (code, status) => expect(httpStatusOf(code)).toBe(status));
});
