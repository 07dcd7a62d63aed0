import { actionPostEnvelope } from '../leads/action-post/action-post.envelope';

export const BODY_LIMIT = '64kb';
/** The content types an uploaded WAV prompt may come with. */
export const PROMPT_WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'];

interface ParserError {
  type?: string;
  status?: number;
  /** The limit that was exceeded, in bytes. */
  limit?: number;
}

/** Turns a body-parser failure into a 4xx answer; undefined for anything else. */
export function bodyParserErrorBody(err: unknown, path: string): { status: number; body: unknown } | undefined {
  const e = err as ParserError;
  if (typeof e !== 'object' || e === null || typeof e.type !== 'string') return undefined;
  let status: number;
  let message: string;
  switch (e.type) {
    case 'entity.too.large':
      status = 413;
      message = `Request body is larger than ${e.limit !== undefined && e.limit !== bytesOf(BODY_LIMIT) ? `${e.limit} bytes` : BODY_LIMIT}`;
      break;
    case 'entity.parse.failed':
      status = 400;
      message = 'Request body is not valid JSON';
      break;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      status = 415;
      message = 'Request body encoding is not supported; send UTF-8';
      break;
    default:
      if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
      status = e.status;
      message = 'Request body could not be read';
  }
  if (path.startsWith('/api/action-post/')) return { status, body: actionPostEnvelope(0, null, message) };
  return { status, body: { statusCode: status, error: 'BadRequestBody', message } };
}

const bytesOf = (limit: string) => Number(/^(\d+)kb$/.exec(limit)?.[1] ?? 0) * 1024;
