import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';

/** Strips secrets from a request URL before it is logged (Action Post keys travel as ?key=). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:key|api_key|token)=)[^&]*/gi, '$1[redacted]');
}

@Module({})
export class LoggingModule {
  static register(config: AppConfig): DynamicModule {
    const pretty = config.env === 'development' && process.stdout.isTTY;
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // Express 5's path syntax (nestjs-pino's default '*' is the old one and logs a warning).
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            serializers: {
              req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
            },
            autoLogging: { ignore: (req) => req.url === '/api/health' },
          },
        }),
      ],
    };
  }
}
