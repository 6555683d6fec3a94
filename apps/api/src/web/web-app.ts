import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** Where `npm run build` puts the web application (dist/web beside dist/apps), unless WEB_DIST_DIR says otherwise. */
export const webDistDir = (): string => process.env.WEB_DIST_DIR ?? path.resolve(__dirname, '../../../../web');

/** Paths the web application never answers: the API, the metrics, the queue dashboard. */
const NOT_WEB = /^\/(api|metrics)(\/|$)|^\/admin\/queues\/board(\/|$)/;

/**
 * The web application's static files at `/` (same origin as the API, so no CORS), and index.html for every other GET
 * that is not the API's (the application's routes live in the browser). Hand-written rather than
 * @nestjs/serve-static, whose error handler turns any error on an excluded path (a 413 of the API) into a 404.
 * Without a build (an API started from sources) nothing is served.
 */
export function webApp(): RequestHandler[] {
  const root = webDistDir();
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    new Logger('WebApp').warn(`no web build at ${root}: the web application is not served (npm run build builds it)`);
    return [];
  }
  // Hashed assets may be cached for good; index.html must be fetched anew so that a release is picked up.
  const files = express.static(root, {
    index: false,
    setHeaders: (res, file) => res.setHeader('Cache-Control', file.startsWith(path.join(root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  return [
    (req: Request, res: Response, next: NextFunction) => (NOT_WEB.test(req.path) ? next() : files(req, res, next)),
    (req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_WEB.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    },
  ];
}
