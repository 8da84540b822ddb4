/**
 * `/lich/<token>.ics`: a unit's calendar subscription (web/unit-feed.ts), the link every
 * digest email carries. The token is the unit's secret (a MAC of plan, year and unit under the link
 * secret, domain/keys/submission-links.ts): a forged or altered one is answered 404 like any unknown page, without
 * asking Temporal anything; rotating the link secret revokes every feed link at once.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { UserError } from '../domain/user-error';
import { getPlanStatus, getPlanView } from '../operations/plan-client';
import { unitFeedIcs } from './unit-feed';
import { FEED_PATH, type SubmissionLinks } from '../domain/keys/submission-links';
import { errorPage } from './pages';

export interface CalendarFeedDeps {
  client: Client;
  links: SubmissionLinks;
  /** The same per-address rate limit as the submission pages. */
  rate: onRequestHookHandler;
}

export function registerCalendarFeed(app: FastifyInstance, { client, links, rate }: CalendarFeedDeps): void {
  app.get<{ Params: { file: string } }>(`${FEED_PATH}:file`, { onRequest: rate }, async (request, reply) => {
    const { file } = request.params;
    const claims = file.endsWith('.ics') ? links.verifyFeed(file.slice(0, -'.ics'.length)) : undefined;
    if (!claims) {
      request.log.warn({ event: 'feed-refused' }, 'calendar feed link refused');
      return errorPage(reply, 404);
    }
    let body: string;
    try {
      const [plan, duties] = await Promise.all([getPlanView(client, claims), getPlanStatus(client, claims, { unitId: claims.unitId })]);
      const unitName = duties.flatMap((duty) => duty.occurrences).find((o) => o.unitId === claims.unitId)?.unitName ?? claims.unitId;
      body = unitFeedIcs({ planId: plan.planId, planTitle: plan.title, timeZone: plan.timeZone, unitName, duties, nowIso: new Date().toISOString() });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return errorPage(reply, 404, { heading: 'Không tìm thấy lịch', message: 'Kế hoạch của lịch này không còn chạy trong hệ thống.' });
    }
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `inline; filename="lich-${claims.unitId}-${claims.year}.ics"`)
      .send(body);
  });
}
