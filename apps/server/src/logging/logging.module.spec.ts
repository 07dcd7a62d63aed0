import { redactUrl } from './logging.module';

describe('redactUrl', () => {
  it.each([
    ['/api/action-post/abc?key=secret', '/api/action-post/abc?key=[redacted]'],
    ['/api/x?a=1&key=secret&b=2', '/api/x?a=1&key=[redacted]&b=2'],
    ['/ari/events?app=x&api_key=u:p', '/ari/events?app=x&api_key=[redacted]'],
    ['/api/health', '/api/health'],
  ])('%s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});
