/**
 * Every digest the mailroom ever handed to `sendDigest` or `sendDigests` and what came back (a
 * digest a batch did not send counts as a failed attempt, as a failed activity does), read from the
 * mailroom's histories (all runs of its continue-as-new chain) rather than from its state, which
 * keeps only recent deliveries. What Temporal recorded is what happened.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { BatchDigestResult, DigestInput, DigestResult } from '../../activities/mail/types';
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

/** One mail activity the mailroom ran to its end: the digests it carried and what came back for each. */
export interface DeliveryActivity {
  type: 'sendDigest' | 'sendDigests';
  inputs: DigestInput[];
  /** Per input; empty when the activity failed or timed out. */
  results: BatchDigestResult[];
  at: string;
}

/** Every mail activity of the mailroom's continue-as-new chain that ended, in order. */
export async function deliveryActivities(client: Client, mailroomWorkflowId: string): Promise<DeliveryActivity[]> {
  const histories = [];
  let runId: string | undefined = (await client.workflow.getHandle(mailroomWorkflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(mailroomWorkflowId, runId).fetchHistory();
    histories.unshift(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  const activities: DeliveryActivity[] = [];
  for (const history of histories) {
    const scheduled = new Map<string, Pick<DeliveryActivity, 'type' | 'inputs'>>();
    for (const event of history.events ?? []) {
      const scheduling = event.activityTaskScheduledEventAttributes;
      if (scheduling) {
        const type = scheduling.activityType?.name;
        if (type === 'sendDigests') scheduled.set(String(event.eventId), { type, inputs: decode<DigestInput[]>(scheduling.input) });
        if (type === 'sendDigest') scheduled.set(String(event.eventId), { type, inputs: [decode<DigestInput>(scheduling.input)] });
        continue;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      const activity = scheduled.get(String((completed ?? failed)?.scheduledEventId));
      if (!activity) continue;
      const results = !completed ? [] : activity.type === 'sendDigests' ? decode<BatchDigestResult[]>(completed.result) : [decode<DigestResult>(completed.result)];
      activities.push({ ...activity, results, at: isoOf(event.eventTime) });
    }
  }
  return activities;
}

export async function deliveryLog(client: Client, mailroomWorkflowId: string): Promise<DeliveryRecord[]> {
  const records: DeliveryRecord[] = [];
  for (const { inputs, results, at } of await deliveryActivities(client, mailroomWorkflowId)) {
    inputs.forEach((input, i) => {
      const base = {
        recipientUnitId: input.recipient.unitId,
        localDate: input.localDate,
        batch: input.batch,
        itemIds: input.items.map((item) => item.id),
        at,
      };
      const result = results[i];
      if (result && result.outcome !== 'not-sent') records.push({ ...base, outcome: result.outcome, messageId: result.messageId });
      else records.push({ ...base, outcome: 'failed' });
    });
  }
  return records;
}
