/**
 * Every digest the mailroom ever handed to `sendDigest` and what came back, read from the
 * mailroom's histories (all runs of its continue-as-new chain) rather than from its state, which
 * keeps only recent deliveries. What Temporal recorded is what happened.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { DigestInput, DigestResult } from '../../activities/mail/types';
import type { DeliveryRecord } from '../../workflows/types';

type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

function decode<T>(payloads: Payloads): T {
  const data = payloads?.payloads?.[0]?.data;
  if (!data) throw new Error('activity payload missing');
  return JSON.parse(Buffer.from(data).toString('utf8')) as T;
}

function isoOf(time: temporal.api.history.v1.IHistoryEvent['eventTime']): string {
  const ms = Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

export async function deliveryLog(client: Client, mailroomWorkflowId: string): Promise<DeliveryRecord[]> {
  const histories = [];
  let runId: string | undefined = (await client.workflow.getHandle(mailroomWorkflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(mailroomWorkflowId, runId).fetchHistory();
    histories.unshift(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  const records: DeliveryRecord[] = [];
  for (const history of histories) {
    const scheduled = new Map<string, DigestInput>();
    for (const event of history.events ?? []) {
      const id = String(event.eventId);
      if (event.activityTaskScheduledEventAttributes) {
        scheduled.set(id, decode<DigestInput>(event.activityTaskScheduledEventAttributes.input));
        continue;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      if (!completed && !failed) continue;
      const input = scheduled.get(String((completed ?? failed)?.scheduledEventId));
      if (!input) continue;
      const base = {
        recipientUnitId: input.recipient.unitId,
        localDate: input.localDate,
        batch: input.batch,
        itemIds: input.items.map((item) => item.id),
        at: isoOf(event.eventTime),
      };
      if (completed) {
        const result = decode<DigestResult>(completed.result);
        records.push({ ...base, outcome: result.outcome, messageId: result.messageId });
      } else {
        records.push({ ...base, outcome: 'failed' });
      }
    }
  }
  return records;
}
