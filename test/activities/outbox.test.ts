import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildActivityDeps } from '../../activities/deps';
import { createActivities } from '../../activities/index';
import { deliveriesDir } from '../../activities/mail/delivery-ledger';
import { createOutboxMailer, createWriteBehindOutboxMailer, listOutbox, outboxDir, readOutboxMessage, withUnixNewlines } from '../../activities/mail/outbox-mailer';
import { parseMailbox } from '../../activities/mail/mailbox';
import { composeMessage, type OutgoingMail } from '../../activities/mail/mailer';
import { registerOutboxCommands } from '../../client/commands/outbox';
import { runActivity } from './activity-env';
import { LINK_SECRET, MAIL_FROM, PUBLIC_URL, sampleDigest } from './fixtures';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kehoach-outbox-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await rm(dataDir, { recursive: true, force: true });
});

function mail(n: number): OutgoingMail {
  return {
    from: parseMailbox(MAIL_FROM),
    to: [{ name: 'Thôn Đông Tân', address: `thon${n}@ha-dong.example` }],
    subject: `[Kế hoạch năm 2026] Thư số ${n} – Thôn Đông Tân`,
    text: `Kính gửi: Thôn Đông Tân\nNội dung thư số ${n}.`,
    html: `<p>Thư số ${n}</p>`,
    messageId: `<thu-${n}@kehoach.ha-dong.example>`,
    attachments: [],
  };
}

/** A clock that ticks one second per call, starting 20/03/2026 08:00 local. */
function tickingClock(): () => Date {
  let t = Date.parse('2026-03-20T01:00:00.000Z');
  return () => new Date((t += 1000));
}

describe('local outbox', () => {
  it('keeps each message byte for byte as nodemailer streams it with unix newlines', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const invitation: OutgoingMail = {
      ...mail(7),
      text: 'Dòng một\r\nDòng hai\nDòng ba, rất dài để phải xuống dòng khi mã hoá: ' + 'Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân. '.repeat(6),
      calendar: { filename: 'giay-moi.ics', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' },
      attachments: [{ filename: 'bao-cao.docx', content: Buffer.from([0x0d, 0x0a, 0x00, 0xff, 0x0d]), contentType: 'application/octet-stream' }],
    };
    for (const outgoing of [mail(1), invitation]) {
      const composed = await composeMessage(outgoing);
      expect(composed.raw.includes(0x0d)).toBe(true);
      const streamed = (await transport.sendMail(composed)).message as Buffer;
      expect(withUnixNewlines(composed.raw).equals(streamed)).toBe(true);
    }
    expect(withUnixNewlines(Buffer.from('a\r\n\rb\r')).toString()).toBe('a\nb');
    expect(withUnixNewlines(Buffer.from('không có CR')).toString()).toBe('không có CR');
  });

  it('writes each message as a parseable .eml plus an index entry, listed oldest first', async () => {
    const mailer = createOutboxMailer(dataDir, tickingClock());
    for (const n of [1, 2, 3]) await mailer.send(mail(n));

    const files = (await readdir(outboxDir(dataDir))).sort();
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(3);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(3);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);

    const entries = await listOutbox(dataDir);
    expect(entries.map((e) => e.subject)).toEqual([1, 2, 3].map((n) => mail(n).subject));
    expect(entries[0]!.id).toMatch(/^20260320-010001-000-[0-9a-f]{8}$/);

    const found = await readOutboxMessage(dataDir, entries[1]!.id);
    if (!found.found) throw new Error('message 2 not found');
    const parsed = await simpleParser(found.message.raw);
    expect(parsed.subject).toBe(mail(2).subject);
    expect(parsed.messageId).toBe(mail(2).messageId);
    expect(parsed.text?.trim()).toBe(mail(2).text);
  });

  it('finds a message by an unambiguous part of its id and reports ambiguous or unknown ones', async () => {
    const mailer = createOutboxMailer(dataDir, tickingClock());
    await mailer.send(mail(1));
    await mailer.send(mail(2));
    const [first] = await listOutbox(dataDir);
    const hash = first!.id.slice(-8);
    expect(await readOutboxMessage(dataDir, hash)).toMatchObject({ found: true, message: { entry: { id: first!.id } } });
    expect(await readOutboxMessage(dataDir, '20260320')).toMatchObject({ found: false, candidates: expect.any(Array) });
    expect(((await readOutboxMessage(dataDir, '20260320')) as { candidates: string[] }).candidates).toHaveLength(2);
    expect(await readOutboxMessage(dataDir, 'khong-co')).toEqual({ found: false, candidates: [] });
  });

  it('lists nothing when the outbox directory does not exist yet', async () => {
    expect(await listOutbox(path.join(dataDir, 'chua-co'))).toEqual([]);
  });

  it('is what buildActivityDeps chooses without an SMTP URL; sendDigest delivers there exactly once', async () => {
    const config = { mailFrom: MAIL_FROM, publicUrl: PUBLIC_URL, dataDir, linkSecret: LINK_SECRET };
    expect(buildActivityDeps({ ...config, smtpUrl: 'smtp://127.0.0.1:2525' }).mailer.kind).toBe('smtp');
    const deps = buildActivityDeps(config);
    expect(deps.mailer.kind).toBe('outbox');

    const { sendDigest } = createActivities(deps);
    const first = await runActivity(sendDigest, [sampleDigest()]);
    const second = await runActivity(sendDigest, [sampleDigest()], 2);
    expect(first.outcome).toBe('sent');
    expect(second).toEqual({ outcome: 'already-sent', messageId: first.messageId });

    const entries = await listOutbox(dataDir);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      messageId: first.messageId,
      subject: '[Kế hoạch năm 2026] 3 việc cần thực hiện (1 việc quá hạn) – Trường Tiểu học Hà Đông – 20/03/2026',
      attachments: ['giay-moi-3.ics'],
    });
    expect(entries[0]!.text).toContain(`${PUBLIC_URL}/nop/`);
  });

  it('keeps the mails (which carry signed links) and the delivery ledger private to the service user', async () => {
    const { sendDigest } = createActivities(
      buildActivityDeps({ mailFrom: MAIL_FROM, publicUrl: PUBLIC_URL, dataDir, linkSecret: LINK_SECRET }),
    );
    // Under the usual umask 022 a file is created 0644 unless its creator says otherwise.
    const previous = process.umask(0o022);
    try {
      await runActivity(sendDigest, [sampleDigest()]);
    } finally {
      process.umask(previous);
    }
    const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
    for (const dir of [outboxDir(dataDir), deliveriesDir(dataDir)]) {
      expect(await modeOf(dir)).toBe(0o700);
      const files = await readdir(dir);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect({ file, mode: await modeOf(path.join(dir, file)) }).toEqual({ file, mode: 0o600 });
    }
  });
});

describe('write-behind outbox (simulated years)', () => {
  it('answers a send before its files land, and on close holds the same files the durable outbox writes', async () => {
    const durableDir = path.join(dataDir, 'durable');
    const behindDir = path.join(dataDir, 'behind');
    const durable = createOutboxMailer(durableDir, tickingClock());
    const behind = createWriteBehindOutboxMailer(behindDir, tickingClock());
    const answers = await Promise.all([1, 2, 3].map((n) => behind.send(mail(n))));
    for (const n of [1, 2, 3]) await durable.send(mail(n));
    expect(answers.map((a) => a.accepted)).toEqual([1, 2, 3].map((n) => [`thon${n}@ha-dong.example`]));
    await behind.close();
    const files = (await readdir(outboxDir(behindDir))).sort();
    expect(files).toEqual((await readdir(outboxDir(durableDir))).sort());
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(await listOutbox(behindDir)).toEqual(await listOutbox(durableDir));
    // The same messages (their MIME boundaries are random, so not the same bytes).
    const parsedIn = async (dir: string, name: string) => {
      const parsed = await simpleParser(await readFile(path.join(outboxDir(dir), name)));
      return { subject: parsed.subject, messageId: parsed.messageId, text: parsed.text, html: parsed.html, to: parsed.to };
    };
    for (const name of files.filter((f) => f.endsWith('.eml'))) {
      expect(await parsedIn(behindDir, name)).toEqual(await parsedIn(durableDir, name));
    }
    expect(answers[0]?.response).toBe(`outbox ${path.join(outboxDir(behindDir), `${(await listOutbox(behindDir))[0]!.id}.eml`)}`);
  });

  it('answers every send, and makes close fail with the first write that failed once the others landed', async () => {
    await mkdir(dataDir, { recursive: true });
    const behind = createWriteBehindOutboxMailer(dataDir, tickingClock());
    await behind.send(mail(1));
    await behind.close();
    // A folder where the second message's .eml belongs: that pair cannot be placed, the third can.
    const probeClock = tickingClock();
    probeClock();
    const second = await createOutboxMailer(path.join(dataDir, 'probe'), probeClock).send(mail(2));
    const blocked = path.join(outboxDir(dataDir), path.basename(second.response.replace(/^outbox /, '')));
    await mkdir(path.join(blocked, 'occupied'), { recursive: true });
    const sent = await Promise.all([2, 3].map((n) => behind.send(mail(n))));
    expect(sent).toHaveLength(2);
    await expect(behind.close()).rejects.toThrow(/ENOTEMPTY|EISDIR|EEXIST/);
    const subjects = (await listOutbox(dataDir)).map((e) => e.subject);
    expect(subjects).toEqual([mail(1).subject, mail(3).subject]);
    expect((await readdir(outboxDir(dataDir))).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});

describe('kehoach outbox (CLI)', () => {
  async function runCli(...args: string[]): Promise<string> {
    vi.stubEnv('KEHOACH_DATA_DIR', dataDir);
    vi.stubEnv('KEHOACH_SMTP_URL', '');
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const program = new Command().exitOverride();
    registerOutboxCommands(program);
    await program.parseAsync(['node', 'kehoach', 'outbox', ...args]);
    return out;
  }

  it('lists messages in Vietnamese with local time, recipient and subject', async () => {
    const mailer = createOutboxMailer(dataDir, tickingClock());
    await mailer.send(mail(1));
    await mailer.send(mail(2));
    const out = await runCli('list');
    expect(out).toContain('Hộp thư cục bộ: 2 thư');
    expect(out).toContain('08:00 ngày 20/03/2026  tới: Thôn Đông Tân <thon1@ha-dong.example>');
    expect(out).toContain('    [Kế hoạch năm 2026] Thư số 2 – Thôn Đông Tân');
    expect(out.indexOf('Thư số 1')).toBeLessThan(out.indexOf('Thư số 2'));
  });

  it('prints JSON with --json', async () => {
    await createOutboxMailer(dataDir, tickingClock()).send(mail(1));
    const parsed = JSON.parse(await runCli('list', '--json')) as { subject: string }[];
    expect(parsed.map((e) => e.subject)).toEqual([mail(1).subject]);
  });

  it('says so when the outbox is empty', async () => {
    expect(await runCli('list')).toContain('Hộp thư cục bộ chưa có thư nào');
  });

  it('shows one message: headers in Vietnamese, then the plain-text body', async () => {
    await createOutboxMailer(dataDir, tickingClock()).send(mail(7));
    const [entry] = await listOutbox(dataDir);
    const out = await runCli('show', entry!.id.slice(-8));
    expect(out).toContain(`Mã thư:        ${entry!.id}`);
    expect(out).toContain('Người nhận:    Thôn Đông Tân <thon7@ha-dong.example>');
    expect(out).toContain('Tiêu đề:       [Kế hoạch năm 2026] Thư số 7 – Thôn Đông Tân');
    expect(out).toContain('Nội dung thư số 7.');
  });

  it('fails with a Vietnamese message for an unknown id', async () => {
    await expect(runCli('show', 'khong-co')).rejects.toThrow(/không tìm thấy thư có mã "khong-co"/);
  });
});
