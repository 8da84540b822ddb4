/**
 * A meeting invitation as mail clients see it: the Hà Đông plan expanded, the duty's invitation
 * item and the mailroom's digest built by the same pure rules the workflows run, sent over real
 * SMTP on loopback, and the captured bytes read by two independent MIME parsers: mailparser
 * (Node) and Python's `email` package with `policy.default`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ical, { type VEvent } from 'node-ical';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createFileDeliveryLedger } from '../../activities/mail/delivery-ledger';
import type { Mailer } from '../../activities/mail/mailer';
import { createSmtpMailer } from '../../activities/mail/smtp-mailer';
import type { DigestInput } from '../../activities/mail/types';
import { agendaToIcs } from '../../domain/ics/plan-to-ics';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { loadPlanFile } from '../../domain/plan/load';
import type { PlanFile } from '../../domain/plan/schema';
import { agendaOf } from '../../domain/schedule/agenda';
import { expandPlan } from '../../domain/schedule/expand';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { initialDutyState, plannedNotifications } from '../../workflows/duty-state';
import { enqueue, initialMailroomState, takeReadyDigests } from '../../workflows/mailroom-state';
import type { RunSettings } from '../../workflows/types';
import { contentLines, ical4jProblems, strictIcsProblems } from '../support/ics-strict';
import { startTestSmtpServer, type CapturedMessage, type TestSmtpServer } from '../support/smtp-server';
import { runActivity } from './activity-env';
import { LINK_SECRET, MAIL_FROM, PUBLIC_URL, sampleDigest } from './fixtures';

const SETTINGS: RunSettings = {
  utcOffsetMinutes: 7 * 60,
  closesAt: '2026-12-31T17:00:00.000Z',
  mailCollectionWindowMs: 5 * 60_000,
  historyEventLimit: 2_000,
};

let smtp: TestSmtpServer;
let dataDir: string;
let mailer: Mailer;
let plan: PlanFile;
let expanded: ExpandedPlan;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const result = await loadPlanFile('plans/ha-dong-2026.yaml');
  if (!result.ok) throw new Error('plan rejected');
  plan = result.plan;
  expanded = expandPlan(plan);
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kehoach-imip-'));
  smtp.messages.length = 0;
  mailer = createSmtpMailer(smtp.url, { connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 });
});
afterEach(async () => {
  await mailer.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The invitation digest of one meeting occurrence, as the duty and mailroom workflows build it. */
function invitationDigest(occurrenceKey: string): DigestInput {
  const occurrence = expanded.occurrences.find((occ) => occ.key === occurrenceKey);
  const duty = expanded.duties.find((candidate) => candidate.id === occurrence?.dutyId);
  if (!occurrence || !duty) throw new Error(`no occurrence ${occurrenceKey}`);
  const startMs = Date.parse('2026-01-01T00:00:00.000Z');
  const dutyState = initialDutyState(
    {
      planId: expanded.planId,
      year: expanded.year,
      timeZone: expanded.timeZone,
      planTitle: expanded.title,
      supervisorUnitId: expanded.supervisorUnitId,
      duty,
      units: expanded.units,
      settings: SETTINGS,
      occurrences: [occurrence],
    },
    startMs,
  );
  const invitation = plannedNotifications(dutyState, dutyState.occurrences[0]!).find((n) => n.envelope.item.kind === 'invitation');
  if (!invitation) throw new Error(`no invitation for ${occurrenceKey}`);
  const mailroom = initialMailroomState({
    planId: expanded.planId,
    year: expanded.year,
    timeZone: expanded.timeZone,
    supervisorUnitId: expanded.supervisorUnitId,
    units: expanded.units,
    settings: SETTINGS,
  });
  enqueue(mailroom, [{ ...invitation.envelope, scheduledAt: new Date(invitation.atMs).toISOString() }], invitation.atMs, new Set());
  const { ready } = takeReadyDigests(mailroom, invitation.atMs + SETTINGS.mailCollectionWindowMs);
  if (ready.length !== 1) throw new Error('expected one digest');
  return ready[0]!.input;
}

async function send(input: DigestInput): Promise<CapturedMessage> {
  const links = createSubmissionLinks(LINK_SECRET, PUBLIC_URL);
  const { sendDigest } = createActivities({ mailer, ledger: createFileDeliveryLedger(dataDir), links, from: MAIL_FROM, publicUrl: PUBLIC_URL });
  const before = smtp.messages.length;
  const result = await runActivity(sendDigest, [input]);
  expect(result.outcome).toBe('sent');
  expect(smtp.messages).toHaveLength(before + 1);
  return smtp.messages[before]!;
}

interface PythonView {
  from: { name: string; address: string }[];
  to: { name: string; address: string }[];
  replyTo: { name: string; address: string }[];
  subject: string;
  tree: MimeTree;
  calendar: string | null;
  defects: string[];
}
interface MimeTree {
  type: string;
  method?: string;
  disposition?: string;
  parts?: MimeTree[];
}

const PYTHON_READER = String.raw`
import email, json, sys
from email import policy
with open(sys.argv[1], 'rb') as f:
    m = email.message_from_binary_file(f, policy=policy.default)
def boxes(name):
    header = m[name]
    return [] if header is None else [{'name': a.display_name, 'address': a.addr_spec} for a in header.addresses]
def tree(part):
    node = {'type': part.get_content_type()}
    if part.get_param('method'): node['method'] = part.get_param('method')
    if part.get_content_disposition(): node['disposition'] = part.get_content_disposition()
    if part.is_multipart(): node['parts'] = [tree(p) for p in part.iter_parts()]
    return node
calendar = next((p.get_content() for p in m.walk()
                 if p.get_content_type() == 'text/calendar' and p.get_content_disposition() is None), None)
defects = [type(d).__name__ for p in m.walk() for d in p.defects]
for name in ('From', 'To', 'Reply-To'):
    if m[name] is not None: defects += [type(d).__name__ for d in m[name].defects]
print(json.dumps({'from': boxes('From'), 'to': boxes('To'), 'replyTo': boxes('Reply-To'), 'subject': str(m['Subject']),
                  'tree': tree(m), 'calendar': calendar, 'defects': defects}, ensure_ascii=False))
`;

/** Python's `email` package with its current policy (`policy.default`), on the captured bytes. */
async function readWithPython(raw: Buffer): Promise<PythonView> {
  const file = path.join(dataDir, 'message.eml');
  await writeFile(file, raw);
  return JSON.parse(execFileSync('python3', ['-c', PYTHON_READER, file], { encoding: 'utf8' })) as PythonView;
}

function veventOf(text: string): VEvent {
  const events = Object.values(ical.sync.parseICS(text)).filter((entry) => entry?.type === 'VEVENT') as VEvent[];
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** The properties of the event with this UID, as written on the wire (unfolded). */
function eventProperties(text: string, uid: string): Record<string, string> {
  const lines = contentLines(text);
  const start = lines.findIndex((line) => line.name === 'UID' && line.value === uid);
  expect(start).toBeGreaterThanOrEqual(0);
  let first = start;
  while (first > 0 && !(lines[first]!.name === 'BEGIN' && lines[first]!.value === 'VEVENT')) first -= 1;
  const content: Record<string, string> = {};
  for (let i = first + 1; lines[i]!.name !== 'END'; i += 1) {
    const line = lines[i]!;
    content[line.name] = `${line.params}:${line.value}`;
  }
  return content;
}

/** What makes an event what it is for the person invited. */
function eventContent(text: string, uid: string): Record<string, string | undefined> {
  const all = eventProperties(text, uid);
  return Object.fromEntries(['SUMMARY', 'DTSTART', 'DTEND', 'DURATION', 'LOCATION', 'ORGANIZER'].map((name) => [name, all[name]]));
}

describe('meeting invitations (iMIP) over real SMTP', () => {
  const KEY = 'hoi-nghi-tdp:tdp-01:2026-Y';

  it('is a multipart/alternative of text, HTML and text/calendar; method=REQUEST, for both parsers', async () => {
    const message = await send(invitationDigest(KEY));
    const python = await readWithPython(message.raw);
    expect(python.tree).toEqual({
      type: 'multipart/mixed',
      parts: [
        {
          type: 'multipart/alternative',
          parts: [{ type: 'text/plain' }, { type: 'text/html' }, { type: 'text/calendar', method: 'REQUEST' }],
        },
        { type: 'application/ics', disposition: 'attachment' },
      ],
    });
    expect(python.defects).toEqual([]);
    // mailparser: the inline calendar part is the alternative, not a file the reader has to open.
    const calendarParts = message.parsed.attachments.filter((a) => a.contentType === 'text/calendar');
    expect(calendarParts).toHaveLength(1);
    expect(calendarParts[0]!.contentDisposition).not.toBe('attachment');
    expect(String((calendarParts[0]!.headers.get('content-type') as { params?: Record<string, string> }).params?.method)).toBe('REQUEST');
    // Python's get_content() gives text with '\n' line ends; the bytes on the wire are CRLF.
    expect(python.calendar).toBe(calendarParts[0]!.content.toString('utf8').replace(/\r\n/g, '\n'));
  });

  it('carries the place, the planned length and the supervising office as organiser, like the feed', async () => {
    const input = invitationDigest(KEY);
    const message = await send(input);
    const calendar = message.parsed.attachments.find((a) => a.contentType === 'text/calendar')?.content.toString('utf8');
    expect(calendar).toBeDefined();
    const event = veventOf(calendar!);
    const occurrence = expanded.occurrences.find((occ) => occ.key === KEY)!;
    expect(event.start.toISOString()).toBe(occurrence.eventAt);
    expect((event.end!.getTime() - event.start.getTime()) / 60_000).toBe(150);
    expect(String(event.location)).toBe('Nhà văn hóa tổ dân phố');
    expect(calendar).toMatch(/^METHOD:REQUEST\r$/m);
    const organizer = contentLines(calendar!).find((line) => line.name === 'ORGANIZER');
    expect(organizer).toEqual({ name: 'ORGANIZER', params: ';CN=Phòng Văn hóa - Xã hội', value: 'mailto:vhxh@ha-dong.example' });
    // RSVPs (to ORGANIZER) and plain replies (Reply-To) both reach the supervising office's mailbox.
    expect(message.parsed.replyTo?.value).toEqual([{ name: 'Phòng Văn hóa - Xã hội', address: 'vhxh@ha-dong.example' }]);

    // Same UID as the plan feed and the same content: an invitation updating an imported event
    // (higher SEQUENCE) changes nothing in it.
    const uid = `${KEY}@ha-dong-2026`;
    expect(event.uid).toBe(uid);
    const feed = agendaToIcs(plan, expanded, agendaOf(expanded, { unitIds: new Set(['tdp-01']) }));
    expect(eventContent(calendar!, uid)).toEqual(eventContent(feed, uid));
    const sequence = (text: string) => Number((eventProperties(text, uid).SEQUENCE ?? ':0').slice(1));
    expect(sequence(calendar!)).toBeGreaterThan(sequence(feed));
  });

  it('writes a strict RFC 5545 invitation that ical4j 4.0.8 accepts in strict mode', async () => {
    const messages = [
      await send(invitationDigest(KEY)),
      await send(invitationDigest('hoi-nghi-doi-thoai:van-phong:2026-10-15')),
      await send(invitationDigest('hoi-nghi-vc-truong:th-ha-dong:2026-Y')),
    ];
    const files: Record<string, Buffer> = {};
    messages.forEach((message, index) => {
      const part = message.parsed.attachments.find((a) => a.contentType === 'text/calendar')!;
      expect(strictIcsProblems(part.content)).toEqual([]);
      files[`invitation-${index + 1}.ics`] = part.content;
    });
    expect(await ical4jProblems(files)).toEqual({});
  });
});

describe('sender and recipient names', () => {
  // Every unit name of the plan over 45 UTF-8 bytes (too long for one RFC 2047 encoded word), plus
  // the school whose name Python showed as "Trường Tiểu h ọc Hà Đông".
  const NAMES = [
    'Trường Tiểu học Hà Đông',
    'Ủy ban Mặt trận Tổ quốc Việt Nam xã Hà Đông',
    'Phó Chủ tịch UBND xã phụ trách văn hóa - xã hội',
    'Đoàn Thanh niên Cộng sản Hồ Chí Minh xã',
    'Trung tâm Dịch vụ tổng hợp xã Hà Đông',
  ];

  it.each(NAMES)('"%s" reads back intact in mailparser and in Python policy.default', async (name) => {
    const input = sampleDigest({ recipient: { unitId: 'th-ha-dong', name, emails: ['a@th-hadong.example', 'b@th-hadong.example'] } });
    const message = await send(input);
    const expectedTo = [
      { name, address: 'a@th-hadong.example' },
      { name, address: 'b@th-hadong.example' },
    ];
    const expectedFrom = [{ name: 'Kế hoạch xã Hà Đông', address: 'kehoach@ha-dong.example' }];

    // Node (mailparser): RFC 2047 decoding, whitespace between adjacent encoded words dropped.
    expect(message.parsed.to && !Array.isArray(message.parsed.to) ? message.parsed.to.value : undefined).toEqual(expectedTo);
    expect(message.parsed.from?.value).toEqual(expectedFrom);

    // Python policy.default: keeps whitespace between adjacent encoded words, so a name split
    // inside a word used to come out as "Tiểu h ọc".
    const python = await readWithPython(message.raw);
    expect(python.to).toEqual(expectedTo);
    expect(python.from).toEqual(expectedFrom);
    expect(python.subject).toBe(message.parsed.subject);
    expect(python.defects).toEqual([]);

    // On the wire: ASCII only, encoded words of at most 75 characters (RFC 2047 §2).
    const headers = message.raw.toString('latin1').split('\r\n\r\n')[0]!;
    expect(/^[\x20-\x7e\t\r\n]*$/.test(headers)).toBe(true);
    for (const word of headers.match(/=\?[^?]+\?[BbQq]\?[^?]*\?=/g) ?? []) expect(word.length).toBeLessThanOrEqual(75);
  });
});
