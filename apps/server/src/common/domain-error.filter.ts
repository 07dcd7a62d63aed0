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

/** Maps every error that reaches HTTP to one JSON shape (the Action Post envelope on that route). */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (exception instanceof DomainError && exception.options.retryAfterSeconds) res.setHeader('Retry-After', String(exception.options.retryAfterSeconds));
    if (req.path.startsWith('/api/action-post/')) {
      res.status(body.statusCode).json(actionPostEnvelope(0, null, body.message, body.fields));
      return;
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
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
}
