/** The assertions both full-year tests make about a finished year. */
import { expect } from 'vitest';
import type { CapturedMessage } from '../support/smtp-server';
import type { Rig } from './rig';
import { PLAN_FILE, UNREACHABLE_UNIT, type YearRun } from './year-scenario';
import { OracleCalendar } from './year-oracle';
import { deliveredLines, expectedLines, expectedMailLines, receivedMailLines } from './mail-expectations';

export function checkYear(run: YearRun, r: Rig): void {
  const { expectation, mailroom, amended, deliveries } = run;
  expect(deliveredLines(deliveries)).toEqual(expectedLines(expectation.delivered));
  // The year-end report's versions are mailed by the plan, not the mailroom; full-year.test.ts checks them.
  const reportMails = r.smtp.messages.filter(isYearEndReportMail).length;
  expect(receivedMailLines(r.smtp, (m) => !isYearEndReportMail(m))).toEqual(expectedMailLines(amended, expectation.delivered));
  const rejected = mailroom.failedDeliveries.filter((d) => d.recipientUnitId === UNREACHABLE_UNIT);
  expect(rejected.map((d) => `${d.localDate} #${d.batch}`).sort()).toEqual(
    expectation.rejected.map((d) => `${d.localDate} #${d.batch}`).sort(),
  );
  expect(mailroom.failedDeliveries.length).toBe(expectation.rejected.length);
  // No digest on a Saturday, a Sunday or a holiday of the plan's calendar, by its day or its sending.
  const calendar = new OracleCalendar(PLAN_FILE);
  const onDaysOff = deliveries.filter((d) => !calendar.isWorkingDay(d.localDate) || !calendar.isWorkingDay(calendar.localDate(Date.parse(d.at))));
  expect(onDaysOff.map((d) => `${d.localDate} ${d.recipientUnitId} sent ${d.at}`)).toEqual([]);
  expect(run.result.status).toBe('completed');
  expect(run.result.amendments).toBe(1);
  const lifecycles = Object.fromEntries(run.result.duties.map((d) => [d.dutyId, d.lifecycle]));
  expect(lifecycles['bao-cao-dccs-doanh-nghiep']).toBe('removed');
  expect(lifecycles['bao-cao-dot-xuat']).toBe('completed');
  // Every SMTP transaction accounted for: delivered digests, the dead mailbox, the 3 refused in the outage.
  expect(r.smtp.transactions).toBe(expectation.delivered.length + expectation.rejected.length + 3 + reportMails);
}

/** A mail of the year-end report: the plan's own, with a .docx attached. */
export function isYearEndReportMail(message: CapturedMessage): boolean {
  return (message.parsed.subject ?? '').startsWith('Báo cáo tổng kết ');
}
