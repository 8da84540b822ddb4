/**
 * The activities the workflows call, built from their dependencies (mailer, ledger, link signer)
 * so tests and the worker wire real parts in the same way. Workflows import the TYPE of the
 * returned object only: `proxyActivities<ReturnType<typeof createActivities>>(...)`.
 */
import type { SubmissionLinks } from '../domain/keys/submission-links';
import type { DeliveryLedger } from './mail/delivery-ledger';
import type { Mailer } from './mail/mailer';
import { createSendDigest } from './mail/send-digest';
import { createSendDigests } from './mail/send-digests';
import type { ActivityLogger } from './mail/deliver-once';
import { createPublishYearEndReport } from './report/publish-year-end-report';

export interface ActivityDeps {
  mailer: Mailer;
  ledger: DeliveryLedger;
  links: SubmissionLinks;
  /** 'Name <address@domain>' */
  from: string;
  /** Base URL of the submission pages (already inside `links`; kept for activities that need it). */
  publicUrl: string;
  /** Where year-end report versions are stored (the data directory). */
  dataDir?: string;
  logger?: ActivityLogger;
}

export function createActivities(deps: ActivityDeps) {
  const sendDigest = createSendDigest(deps);
  return {
    sendDigest,
    sendDigests: createSendDigests(sendDigest, deps.logger ? { logger: deps.logger } : {}),
    publishYearEndReport: createPublishYearEndReport(deps),
  };
}

export type KehoachActivities = ReturnType<typeof createActivities>;
export type { PublishReportInput, PublishReportResult } from './report/publish-year-end-report';
export type { BatchDigestResult, DigestInput, DigestItem, DigestItemKind, DigestResult } from './mail/types';
