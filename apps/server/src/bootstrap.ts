import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { BODY_LIMIT, bodyParserErrorBody } from './common/body-parser-errors';
import { serveDashboard } from './dashboard/dashboard-static';
import { withViewSchemas } from './openapi/view-schemas';

/** Builds the application (shared by main.ts and the integration tests). Call listen() yourself. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config, options), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Our own body parsers, so an oversized or malformed body gets the same clear 4xx answer
  // (in the Action Post envelope on that route) instead of the framework's default page.
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  // text/csv: the carrier DID block an admin loads into the Local Dial Presence inventory.
  server.use(express.json({ limit: BODY_LIMIT }), express.urlencoded({ extended: false, limit: BODY_LIMIT }), express.text({ type: 'text/csv', limit: BODY_LIMIT }));
  server.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    const answer = bodyParserErrorBody(err, req.path);
    if (!answer) return next(err);
    res.status(answer.status).json(answer.body);
  });
  // The dashboard (static files + client-side routes) at `/`; everything under /api is Nest's.
  serveDashboard(server);
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Leadline')
    .setDescription('Lead intake, distribution and telephony control')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'campaign-key')
    .build();
  SwaggerModule.setup('api/docs', app, () => withViewSchemas(SwaggerModule.createDocument(app, doc)));
  return app;
}
