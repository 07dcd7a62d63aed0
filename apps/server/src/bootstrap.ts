import { PROMPT_WAV_MAX_BYTES } from '@leadline/domain';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { AppModule, AppOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { BODY_LIMIT, bodyParserErrorBody, PROMPT_WAV_TYPES } from './common/body-parser-errors';
import { serveDashboard } from './dashboard/dashboard-static';
import { DbContext } from './database/db-context';
import { installActionPostLane, securityHeadersOf } from './leads/action-post/action-post.lane';
import { ActionPostService } from './leads/action-post/action-post.service';
import { withViewSchemas } from './openapi/view-schemas';

/**
 * HTTP security headers (helmet): a content security policy that lets the dashboard load only
 * its own files (Swagger UI at /api/docs needs inline styles), no framing, no MIME sniffing, no
 * referrer across origins. HSTS is the TLS proxy's to send (docs/operations.md): this server
 * speaks plain HTTP on loopback, where upgrade-insecure-requests would break the dashboard.
 */
const SECURITY_HEADERS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // blob: the dashboard draws a chart's SVG into a canvas to save it as PNG (ui/charts.tsx).
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      mediaSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
};

/** Builds the application (shared by main.ts and the integration tests). Call listen() yourself. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config, options), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Our own body parsers, so an oversized or malformed body gets the same clear 4xx answer
  // (in the Action Post envelope on that route) instead of the framework's default page.
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  // Only the proxies named in TRUST_PROXY may tell us the client's address (X-Forwarded-For);
  // rate limits (logins, Action Post) count req.ip.
  server.set('trust proxy', config.http.trustProxy.length ? config.http.trustProxy : false);
  const securityHeaders = helmet(SECURITY_HEADERS);
  const bodyParsers = [express.json({ limit: BODY_LIMIT }), express.urlencoded({ extended: false, limit: BODY_LIMIT }), express.text({ type: 'text/csv', limit: BODY_LIMIT })];
  // A vendor's lead post takes its own lane, ahead of Express (action-post.lane.ts).
  installActionPostLane(app.getHttpServer() as Server, {
    actionPost: app.get(ActionPostService),
    db: app.get(DbContext),
    parsers: bodyParsers,
    securityHeaders: securityHeadersOf(securityHeaders),
    trustProxy: server.get('trust proxy fn') as (address: string, hop: number) => boolean,
  });
  server.use(securityHeaders);
  // CORS closed unless CORS_ORIGINS names other origins (the dashboard is served from this one).
  app.enableCors({ origin: config.http.corsOrigins.length ? config.http.corsOrigins : false, allowedHeaders: ['authorization', 'content-type', 'x-api-key'], maxAge: 600 });
  // text/csv: the carrier DID block an admin loads into the Local Dial Presence inventory.
  // audio/wav: an admin's own recording-disclosure prompt (checkPromptWav), only on its route.
  server.use('/api/org/recording-disclosure', express.raw({ type: PROMPT_WAV_TYPES, limit: PROMPT_WAV_MAX_BYTES }));
  server.use(...bodyParsers);
  server.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    const answer = bodyParserErrorBody(err, req.path);
    if (!answer) return next(err);
    res.status(answer.status).json(answer.body);
  });
  // The dashboard (static files + client-side routes) at `/`; everything under /api is Nest's.
  serveDashboard(server);
  app.setGlobalPrefix('api');
  // No enableShutdownHooks(): main.ts stops on SIGTERM / SIGINT itself, after the running rounds
  // (graceful-stop.ts); the tests close the application themselves.
  const doc = new DocumentBuilder()
    .setTitle('Leadline')
    .setDescription('Lead intake, distribution and telephony control')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'campaign-key')
    .build();
  SwaggerModule.setup('api/docs', app, () => withViewSchemas(SwaggerModule.createDocument(app, doc)));
  return app;
}
