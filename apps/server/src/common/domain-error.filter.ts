import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { actionPostEnvelope } from '../leads/action-post/action-post.envelope';
import { DomainError, FieldError, httpStatusOf } from './domain-error';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  fields?: FieldError[];
}

/** An error as HTTP answers it: status, body, the Retry-After header when the error names one. */
export interface ErrorAnswer {
  status: number;
  body: unknown;
  retryAfterSeconds?: number;
}

const logger = new Logger('Http');

/**
 * The one mapping from an error to its HTTP answer (the Action Post envelope on that route), shared
 * by the filter and the Action Post lane (action-post.lane.ts). A 5xx is logged with its stack.
 */
export function errorAnswer(exception: unknown, actionPost: boolean): ErrorAnswer {
  const body = toBody(exception);
  if (body.statusCode >= 500) logger.error(exception instanceof Error ? exception.stack : String(exception));
  const retryAfterSeconds = exception instanceof DomainError ? exception.options.retryAfterSeconds : undefined;
  return {
    status: body.statusCode,
    body: actionPost ? actionPostEnvelope(0, null, body.message, body.fields) : body,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  };
}

/** Maps every error that reaches HTTP to one JSON shape (the Action Post envelope on that route). */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const answer = errorAnswer(exception, req.path.startsWith('/api/action-post/'));
    if (answer.retryAfterSeconds) res.setHeader('Retry-After', String(answer.retryAfterSeconds));
    res.status(answer.status).json(answer.body);
  }
}

function toBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    return { statusCode: httpStatusOf(exception.code), code: exception.code, message: exception.message, ...(exception.fields.length ? { fields: exception.fields } : {}) };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
    return { statusCode: status, code: status === 404 ? 'ROUTE_NOT_FOUND' : `HTTP_${status}`, message };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Internal error; the server log has the details' };
}
