import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/**
 * The decision routes, by channel. Their latency is what an approver waits for: the API hands the decision to the
 * workflow as an Update and answers once the workflow accepted or refused it.
 */
const DECISION_ROUTES: Record<string, string> = {
  'POST /api/v1/tasks/:id/decision': 'inbox',
  'POST /api/v1/tasks/batch-decision': 'batch',
  'POST /api/v1/email-actions/:token': 'email',
};

/** The route template Express matched (`/api/v1/tasks/:id`), never the raw URL: ids would explode the series. */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

/** Times every request (from its first middleware to the last byte) into the HTTP and decision histograms. */
export function httpMetrics(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(req);
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status_code: String(status) }, seconds);
      const channel = DECISION_ROUTES[`${req.method} ${route}`];
      if (channel) metrics.decisionDuration.observe({ channel, outcome: status < 400 ? 'accepted' : status < 500 ? 'refused' : 'error' }, seconds);
    });
    next();
  };
}
