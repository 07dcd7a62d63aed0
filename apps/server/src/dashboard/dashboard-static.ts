import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where `npm run build` puts the dashboard (vite → dist/dashboard): next to the compiled server
 * (dist/apps/server/src/dashboard → dist/dashboard), or under dist/ when the server runs from its sources
 * (the in-process integration tests).
 */
export function findDashboardDir(): string | null {
  const candidates = [resolve(__dirname, '../../../../dashboard'), resolve(__dirname, '../../../../dist/dashboard')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** Paths the single-page app never answers: the API, socket.io and the OpenAPI docs. */
const NOT_THE_APP = /^\/(api|socket\.io)(\/|$)/;

/**
 * Serves the dashboard's static files at `/`, and index.html for any other GET outside the API
 * (client-side routes such as /lead-exceptions survive a reload). Hashed assets are cached for a
 * year; index.html is revalidated every time so a new version shows at the next load.
 */
export function serveDashboard(server: express.Express, dir: string | null = findDashboardDir()): void {
  const logger = new Logger('Dashboard');
  if (!dir) {
    logger.warn('dashboard not built (no dist/dashboard/index.html): run `npm run build`; the API still works');
    server.get(/^\/(?!api\/|api$|socket\.io\/).*/, (_req: Request, res: Response) => {
      res.status(404).type('text/plain').send('The dashboard is not built on this server: run `npm run build`. The API is at /api.');
    });
    return;
  }
  const index = join(dir, 'index.html');
  server.use(
    express.static(dir, {
      index: false,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  server.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
