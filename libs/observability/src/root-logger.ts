import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger as Pino, type LoggerOptions } from 'pino';
import type { AppConfig } from '@app/config';
import { currentLogFields } from './log-context';

export type AppName = 'api' | 'worker';

let root: Pino | undefined;

/**
 * The process's one pino logger: JSON lines on stdout (what a log shipper reads), human-readable through pino-pretty
 * only when NODE_ENV=development. Every line carries the app, and the request's or activity's context (log-context.ts)
 * whoever wrote it. Nest's loggers, pino-http and the Temporal runtime all write through it.
 */
export function rootLogger(app: AppName, cfg: Pick<AppConfig, 'logLevel' | 'nodeEnv'>): Pino {
  if (root) return root;
  const options: LoggerOptions = {
    level: cfg.logLevel,
    base: { app, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Never a credential in the log, whichever object carries it.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'password', '*.password', 'token', '*.token'],
      censor: '[redacted]',
    },
    // Fields the line already has (the pino-http summary sets them itself) are not repeated.
    mixin: (mergeObject: object) => {
      const fields = currentLogFields();
      if (!fields) return {};
      return Object.fromEntries(Object.entries(fields).filter(([k]) => !(k in mergeObject)));
    },
  };
  // Synchronous writes: a line is out before the next statement runs, so a process that exits (a refused configuration)
  // or is killed loses none of what it said last.
  root = pino(options, cfg.nodeEnv === 'development' ? prettyStream() : pino.destination({ dest: 1, sync: true }));
  return root;
}

/** pino-pretty is a development dependency: loaded only when asked for, synchronous so nothing is lost on exit. */
function prettyStream(): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
