import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, temporalAddress } from '../../config/config';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env, '/srv/kehoach');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded dev server, a local outbox and the default plan', () => {
    const config = loadConfig({}, '/srv/kehoach');
    expect(config.temporal.address).toBeUndefined();
    expect(config.devServer).toEqual({ port: 7233, uiPort: 8233, dbFile: '/srv/kehoach/data/temporal.sqlite' });
    expect(temporalAddress(config)).toBe('127.0.0.1:7233');
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.mail.outboxDir).toBe('/srv/kehoach/data/outbox');
    expect(config.planFile).toBe('/srv/kehoach/plans/ha-dong-2026.yaml');
    expect(config.plans).toEqual({ kind: 'dir', dir: '/srv/kehoach/plans' });
    expect(config.accountsFile).toBe('/srv/kehoach/data/accounts.json');
    expect(config.temporal.namespace).toBe('default');
    expect(config.temporal.taskQueue).toBe('kehoach');
    expect(Object.isFrozen(config.temporal)).toBe(true);
  });

  it('points the same code at an external cluster by configuration alone', () => {
    const config = loadConfig(
      {
        TEMPORAL_ADDRESS: 'temporal.internal.example:7233',
        TEMPORAL_NAMESPACE: 'ha-dong',
        TEMPORAL_API_KEY: 'key-123',
        KEHOACH_LINK_SECRET: 'x'.repeat(40),
        KEHOACH_SMTP_URL: 'smtp://user:pass@mail.example:587',
      },
      '/srv/kehoach',
    );
    expect(config.devServer).toBeUndefined();
    expect(temporalAddress(config)).toBe('temporal.internal.example:7233');
    expect(config.temporal.tls).toBe(true);
    expect(config.mail.smtpUrl).toBe('smtp://user:pass@mail.example:587');
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '  ' }, '/x').devServer).toBeDefined();
  });

  it('rejects TEMPORAL_ADDRESS=::: naming the variable and the expected form', () => {
    const problems = problemsOf({ TEMPORAL_ADDRESS: ':::' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe('TEMPORAL_ADDRESS');
    expect(problems[0]?.message).toContain('máy:cổng');
  });

  it('rejects a non-numeric or out-of-range port', () => {
    expect(problemsOf({ KEHOACH_DEV_SERVER_PORT: 'abc' })[0]?.variable).toBe('KEHOACH_DEV_SERVER_PORT');
    expect(problemsOf({ KEHOACH_WEB_PORT: '70000' })[0]?.message).toContain('65535');
    expect(problemsOf({ TEMPORAL_ADDRESS: 'host:99999', KEHOACH_LINK_SECRET: 'x'.repeat(40) })[0]?.variable).toBe(
      'TEMPORAL_ADDRESS',
    );
  });

  it('reads the web limits and trusted proxies, with documented defaults', () => {
    expect(loadConfig({}, '/srv/kehoach').web).toMatchObject({
      limits: { requestsPerMinute: 60, loginMaxFailures: 5, loginLockoutMinutes: 15 },
      trustedProxies: [],
    });
    const set = loadConfig(
      {
        KEHOACH_WEB_RATE_LIMIT: '120',
        KEHOACH_LOGIN_MAX_FAILURES: '3',
        KEHOACH_LOGIN_LOCKOUT_MINUTES: '60',
        KEHOACH_WEB_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8',
      },
      '/srv/kehoach',
    );
    expect(set.web.limits).toEqual({ requestsPerMinute: 120, loginMaxFailures: 3, loginLockoutMinutes: 60 });
    expect(set.web.trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(problemsOf({ KEHOACH_LOGIN_MAX_FAILURES: '0', KEHOACH_WEB_TRUSTED_PROXIES: 'proxy.example' }).map((p) => p.variable)).toEqual([
      'KEHOACH_LOGIN_MAX_FAILURES',
      'KEHOACH_WEB_TRUSTED_PROXIES',
    ]);
  });

  it('reads how many workflow tasks a worker takes at once, the code default when unset', () => {
    expect(loadConfig({}, '/srv/kehoach').workflowTasksAtOnce).toBeUndefined();
    expect(loadConfig({ KEHOACH_WORKFLOW_TASKS_AT_ONCE: '40' }, '/srv/kehoach').workflowTasksAtOnce).toBe(40);
    for (const wrong of ['1', '501', 'mười', '2.5']) {
      expect(problemsOf({ KEHOACH_WORKFLOW_TASKS_AT_ONCE: wrong })).toEqual([
        { variable: 'KEHOACH_WORKFLOW_TASKS_AT_ONCE', message: 'phải là một số nguyên từ 2 đến 500' },
      ]);
    }
  });

  it('rejects an office password shorter than 12 characters', () => {
    expect(problemsOf({ KEHOACH_OFFICE_PASSWORD: 'ngan' })[0]?.variable).toBe('KEHOACH_OFFICE_PASSWORD');
  });

  it('rejects an SMTP URL without a host', () => {
    const problems = problemsOf({ KEHOACH_SMTP_URL: 'smtp://' });
    expect(problems[0]?.variable).toBe('KEHOACH_SMTP_URL');
    expect(problems[0]?.message).toContain('máy chủ');
    expect(problemsOf({ KEHOACH_SMTP_URL: 'http://mail.example' })[0]?.variable).toBe('KEHOACH_SMTP_URL');
  });

  it('reads the shared delivery ledger from KEHOACH_LEDGER_URL, files in the data directory when unset', () => {
    expect(loadConfig({}, '/srv/kehoach').ledgerUrl).toBeUndefined();
    const url = 'postgres://kehoach:mat-khau@db.ha-dong.gov.vn:5432/kehoach';
    expect(loadConfig({ KEHOACH_LEDGER_URL: url }, '/srv/kehoach').ledgerUrl).toBe(url);
    expect(loadConfig({ KEHOACH_LEDGER_URL: 'postgresql://db.example/kehoach' }, '/srv/kehoach').ledgerUrl).toBe('postgresql://db.example/kehoach');
    for (const wrong of ['mysql://db.example/kehoach', 'postgres://', 'db.example:5432']) {
      const problems = problemsOf({ KEHOACH_LEDGER_URL: wrong });
      expect(problems).toEqual([{ variable: 'KEHOACH_LEDGER_URL', message: expect.stringContaining('postgres://') }]);
    }
    // Listed with the others, not on its own.
    expect(problemsOf({ KEHOACH_LEDGER_URL: 'x', KEHOACH_SMTP_URL: 'smtp://' }).map((p) => p.variable).sort()).toEqual([
      'KEHOACH_LEDGER_URL',
      'KEHOACH_SMTP_URL',
    ]);
  });

  it('keeps attachments in the data directory unless an S3 bucket is named, and refuses a malformed bucket or endpoint', () => {
    expect(loadConfig({}, '/srv/kehoach').attachments).toEqual({ kind: 'dir', dir: '/srv/kehoach/data/tep-dinh-kem' });
    expect(loadConfig({ KEHOACH_ATTACHMENTS_S3_BUCKET: 'kehoach-tep', KEHOACH_ATTACHMENTS_S3_ENDPOINT: 'https://s3.ha-dong.gov.vn' }, '/srv/kehoach').attachments).toEqual({
      kind: 's3',
      bucket: 'kehoach-tep',
      region: 'us-east-1',
      endpoint: 'https://s3.ha-dong.gov.vn',
    });
    expect(problemsOf({ KEHOACH_ATTACHMENTS_S3_BUCKET: 'Tệp_Đính_Kèm', KEHOACH_ATTACHMENTS_S3_ENDPOINT: 'ftp://s3.example' })).toEqual([
      { variable: 'KEHOACH_ATTACHMENTS_S3_BUCKET', message: expect.stringContaining('tên bucket S3') },
      { variable: 'KEHOACH_ATTACHMENTS_S3_ENDPOINT', message: expect.stringContaining('http(s)') },
    ]);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      TEMPORAL_ADDRESS: ':::',
      KEHOACH_DEV_UI_PORT: 'x',
      KEHOACH_SMTP_URL: 'smtp://',
      TEMPORAL_TLS: 'maybe',
      KEHOACH_PUBLIC_URL: 'ftp://x',
      KEHOACH_MAIL_FROM: 'not-an-address',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'KEHOACH_DEV_UI_PORT',
      'KEHOACH_MAIL_FROM',
      'KEHOACH_PUBLIC_URL',
      'KEHOACH_SMTP_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_TLS',
    ]);
  });

  it('requires a link secret with an external cluster, and TLS settings only with one', () => {
    expect(problemsOf({ TEMPORAL_ADDRESS: 'h:7233' })[0]?.variable).toBe('KEHOACH_LINK_SECRET');
    expect(problemsOf({ TEMPORAL_API_KEY: 'k' })[0]?.message).toContain('TEMPORAL_ADDRESS');
    expect(
      problemsOf({ TEMPORAL_ADDRESS: 'h:7233', KEHOACH_LINK_SECRET: 'x'.repeat(40), TEMPORAL_TLS_CERT_PATH: '/c' })[0]
        ?.variable,
    ).toBe('TEMPORAL_TLS_KEY_PATH');
  });

  it('parses booleans strictly, so "false" is false', () => {
    const config = loadConfig(
      { TEMPORAL_ADDRESS: 'h:7233', KEHOACH_LINK_SECRET: 'x'.repeat(40), TEMPORAL_TLS: 'false' },
      '/x',
    );
    expect(config.temporal.tls).toBe(false);
  });

  it('runs every plan of a folder, or just the file KEHOACH_PLAN names, never both', () => {
    expect(loadConfig({ KEHOACH_PLANS_DIR: 'ke-hoach' }, '/srv/kehoach').plans).toEqual({ kind: 'dir', dir: '/srv/kehoach/ke-hoach' });
    const single = loadConfig({ KEHOACH_PLAN: 'plans/ha-dong-2027.yaml' }, '/srv/kehoach');
    expect(single.plans).toEqual({ kind: 'file', file: '/srv/kehoach/plans/ha-dong-2027.yaml' });
    expect(single.planFile).toBe('/srv/kehoach/plans/ha-dong-2027.yaml');
    expect(problemsOf({ KEHOACH_PLAN: 'a.yaml', KEHOACH_PLANS_DIR: 'plans' })).toEqual([
      { variable: 'KEHOACH_PLAN', message: 'chỉ đặt một trong hai: KEHOACH_PLANS_DIR (mọi kế hoạch trong thư mục) hoặc KEHOACH_PLAN (chỉ một tệp)' },
    ]);
  });
});
