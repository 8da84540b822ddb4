/**
 * Every setting of a kehoach process, read from the environment and validated once at start-up.
 *
 * `loadConfig(env)` returns a frozen, typed object or throws a `ConfigError` listing every problem at
 * once, each naming the variable and the expected form (in Vietnamese: the people who read it are the
 * commune's administrators). Workflow code never imports this module.
 */
import path from 'node:path';
import { z } from 'zod';

export interface Problem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `cấu hình môi trường không hợp lệ:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const HOST_PORT = /^(?<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(?<port>\d{1,5})$/;

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

const hostPort = z.string().refine(
  (value) => {
    const match = HOST_PORT.exec(value);
    return match !== null && isPort(Number(match.groups?.port));
  },
  { message: 'phải có dạng máy:cổng, ví dụ temporal.example.vn:7233 (cổng từ 1 đến 65535)' },
);

const port = z
  .string()
  .regex(/^\d{1,5}$/, { message: 'phải là một số cổng từ 1 đến 65535' })
  .transform(Number)
  .refine(isPort, { message: 'phải là một số cổng từ 1 đến 65535' });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    message: 'phải là true hoặc false',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A URL with one of the given schemes and a host name. */
function urlWith(protocols: string[], message: string) {
  return z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message },
  );
}

const smtpUrl = urlWith(
  ['smtp:', 'smtps:'],
  'phải có dạng smtp://người-dùng:mật-khẩu@máy-chủ:587 hoặc smtps://máy-chủ:465 (có tên máy chủ)',
);

const ledgerUrl = urlWith(
  ['postgres:', 'postgresql:'],
  'phải có dạng postgres://người-dùng:mật-khẩu@máy-chủ:5432/tên-cơ-sở-dữ-liệu (có tên máy chủ)',
);

const httpUrl = urlWith(
  ['http:', 'https:'],
  'phải là một địa chỉ http:// hoặc https:// đầy đủ, ví dụ https://kehoach.ha-dong.gov.vn',
);

const mailbox = z
  .string()
  .regex(/^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/, {
    message: 'phải là một địa chỉ thư, ví dụ "UBND xã Hà Đông <kehoach@ha-dong.gov.vn>"',
  });

const secret = z.string().min(32, { message: 'phải dài ít nhất 32 ký tự (dùng một chuỗi ngẫu nhiên)' });

/** A whole number within bounds, e.g. a limit. */
function countBetween(min: number, max: number) {
  const message = `phải là một số nguyên từ ${min} đến ${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, { message })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { message });
}

/** Addresses of reverse proxies whose X-Forwarded-For is believed, e.g. "127.0.0.1,10.0.0.0/8". */
const proxyList = z
  .string()
  .regex(/^[0-9A-Fa-f:.]+(?:\/\d{1,3})?(?:\s*,\s*[0-9A-Fa-f:.]+(?:\/\d{1,3})?)*$/, {
    message: 'phải là danh sách địa chỉ IP hoặc dải mạng cách nhau bằng dấu phẩy, ví dụ 127.0.0.1 hoặc 10.0.0.0/8',
  })
  .transform((value) => value.split(',').map((address) => address.trim()));

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'phải là một trong fatal, error, warn, info, debug, trace, silent',
});

/** Environment variables and their schema; undefined means "not set". */
const envSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{2,255}$/, { message: 'chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới' })
    .optional(),
  TEMPORAL_TLS: flag.optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  KEHOACH_TASK_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/, { message: 'chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới' })
    .optional(),
  KEHOACH_DATA_DIR: z.string().min(1).optional(),
  KEHOACH_DEV_SERVER_PORT: port.optional(),
  KEHOACH_DEV_UI_PORT: port.optional(),
  KEHOACH_WEB_PORT: port.optional(),
  KEHOACH_WEB_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, { message: 'phải là một địa chỉ IP hoặc tên máy để lắng nghe, ví dụ 127.0.0.1 hoặc 0.0.0.0' })
    .optional(),
  KEHOACH_WEB_RATE_LIMIT: countBetween(1, 100_000).optional(),
  KEHOACH_LOGIN_MAX_FAILURES: countBetween(1, 1_000).optional(),
  KEHOACH_LOGIN_LOCKOUT_MINUTES: countBetween(1, 1_440).optional(),
  KEHOACH_WEB_TRUSTED_PROXIES: proxyList.optional(),
  KEHOACH_SMTP_URL: smtpUrl.optional(),
  KEHOACH_LEDGER_URL: ledgerUrl.optional(),
  KEHOACH_ATTACHMENTS_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'phải là tên bucket S3 (3–63 ký tự thường, số, dấu chấm, gạch ngang)' })
    .optional(),
  KEHOACH_ATTACHMENTS_S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'phải là địa chỉ http(s) của kho S3, ví dụ https://s3.example.vn' }).optional(),
  KEHOACH_ATTACHMENTS_S3_REGION: z.string().regex(/^[a-z0-9-]{2,40}$/, { message: 'phải là tên vùng S3, ví dụ us-east-1' }).optional(),
  KEHOACH_MAIL_FROM: mailbox.optional(),
  KEHOACH_PUBLIC_URL: httpUrl.optional(),
  KEHOACH_LINK_SECRET: secret.optional(),
  KEHOACH_OFFICE_PASSWORD: z.string().min(12, { message: 'phải dài ít nhất 12 ký tự' }).optional(),
  KEHOACH_PLAN: z.string().min(1).optional(),
  KEHOACH_PLANS_DIR: z.string().min(1).optional(),
  KEHOACH_LOG_LEVEL: logLevel.optional(),
  KEHOACH_WORKFLOW_TASKS_AT_ONCE: countBetween(2, 500).optional(),
});

export interface TemporalConfig {
  /** `undefined` = run the embedded dev server on `devServer.port`. */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  tls: boolean;
  tlsCertPath: string | undefined;
  tlsKeyPath: string | undefined;
  apiKey: string | undefined;
}

/** How the web app holds back floods and password guessing, per client address. */
export interface WebLimits {
  /** Requests per minute to the submission pages, and separately to the status page. */
  requestsPerMinute: number;
  /** Failed logins to the status page before the address is locked out. */
  loginMaxFailures: number;
  /** How long a lockout lasts, counted from the last attempt. */
  loginLockoutMinutes: number;
}

export const DEFAULT_WEB_LIMITS: Readonly<WebLimits> = Object.freeze({
  requestsPerMinute: 60,
  loginMaxFailures: 5,
  loginLockoutMinutes: 15,
});

export interface Config {
  temporal: TemporalConfig;
  /** Present when no external cluster is configured. */
  devServer: { port: number; uiPort: number; dbFile: string } | undefined;
  dataDir: string;
  web: {
    host: string;
    port: number;
    publicUrl: string;
    limits: WebLimits;
    /** Reverse proxies whose X-Forwarded-For names the client; empty = the peer address is the client. */
    trustedProxies: string[];
  };
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string };
  /** PostgreSQL database of the delivery ledger shared by all workers; undefined = files in the data directory (one host). */
  ledgerUrl: string | undefined;
  /** Secret that signs submission links; generated into the data directory when not set (embedded mode only). */
  linkSecret: string | undefined;
  /**
   * Password of the default office account "theodoi": kept in step with the accounts file at every
   * start when set; generated into the data directory in embedded mode when no accounts exist yet.
   */
  officePassword: string | undefined;
  /** Where the accounts of the status pages are kept (hashed passwords, roles). */
  accountsFile: string;
  /**
   * Files attached to submissions: a content-addressed directory in the data directory, or an
   * S3-compatible bucket (credentials from the AWS SDK's usual sources, e.g. AWS_ACCESS_KEY_ID).
   */
  attachments: { kind: 'dir'; dir: string } | { kind: 's3'; bucket: string; endpoint?: string; region: string };
  /** The plan file commands use when given none (`start`, `amend`, `summary`). */
  planFile: string;
  /** What `kehoach run` keeps running: every plan of a folder, or just the file KEHOACH_PLAN names. */
  plans: PlanSource;
  logLevel: z.infer<typeof logLevel>;
  /**
   * Workflow tasks a worker takes, and polls for, at once; undefined = `WORKFLOW_TASK_SETTINGS`
   * (ten, sized for two cores next to the server). More for a cluster far away or a bigger worker.
   */
  workflowTasksAtOnce: number | undefined;
}

export type PlanSource = { kind: 'dir'; dir: string } | { kind: 'file'; file: string };

/** Turn blank values into "unset" so `X=` behaves like an absent variable. */
function presentValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const parsed = envSchema.safeParse(presentValues(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })),
    );
  }
  const e = parsed.data;
  const problems: Problem[] = [];
  const external = e.TEMPORAL_ADDRESS !== undefined;

  if ((e.TEMPORAL_TLS_CERT_PATH === undefined) !== (e.TEMPORAL_TLS_KEY_PATH === undefined)) {
    problems.push({
      variable: e.TEMPORAL_TLS_CERT_PATH === undefined ? 'TEMPORAL_TLS_CERT_PATH' : 'TEMPORAL_TLS_KEY_PATH',
      message: 'chứng chỉ và khóa mTLS phải được khai báo cùng nhau (TEMPORAL_TLS_CERT_PATH và TEMPORAL_TLS_KEY_PATH)',
    });
  }
  if (!external) {
    for (const variable of ['TEMPORAL_TLS', 'TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_API_KEY'] as const) {
      if (e[variable] !== undefined) {
        problems.push({
          variable,
          message: 'chỉ dùng khi kết nối tới cụm Temporal bên ngoài: hãy đặt cả TEMPORAL_ADDRESS',
        });
      }
    }
  }
  if (external && e.KEHOACH_LINK_SECRET === undefined) {
    problems.push({
      variable: 'KEHOACH_LINK_SECRET',
      message:
        'bắt buộc khi chạy với cụm Temporal bên ngoài: mọi tiến trình phải ký đường dẫn nộp báo cáo bằng cùng một khóa bí mật (ít nhất 32 ký tự)',
    });
  }
  if (e.KEHOACH_DEV_SERVER_PORT !== undefined && e.KEHOACH_DEV_SERVER_PORT === e.KEHOACH_DEV_UI_PORT) {
    problems.push({ variable: 'KEHOACH_DEV_UI_PORT', message: 'phải khác KEHOACH_DEV_SERVER_PORT' });
  }
  if (e.KEHOACH_PLAN !== undefined && e.KEHOACH_PLANS_DIR !== undefined) {
    problems.push({
      variable: 'KEHOACH_PLAN',
      message: 'chỉ đặt một trong hai: KEHOACH_PLANS_DIR (mọi kế hoạch trong thư mục) hoặc KEHOACH_PLAN (chỉ một tệp)',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(cwd, e.KEHOACH_DATA_DIR ?? 'data');
  const webPort = e.KEHOACH_WEB_PORT ?? 8080;
  const config: Config = {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: e.KEHOACH_TASK_QUEUE ?? 'kehoach',
      tls: e.TEMPORAL_TLS ?? (e.TEMPORAL_API_KEY !== undefined || e.TEMPORAL_TLS_CERT_PATH !== undefined),
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
      apiKey: e.TEMPORAL_API_KEY,
    },
    devServer: external
      ? undefined
      : {
          port: e.KEHOACH_DEV_SERVER_PORT ?? 7233,
          uiPort: e.KEHOACH_DEV_UI_PORT ?? 8233,
          dbFile: path.join(dataDir, 'temporal.sqlite'),
        },
    dataDir,
    web: {
      host: e.KEHOACH_WEB_HOST ?? '127.0.0.1',
      port: webPort,
      publicUrl: e.KEHOACH_PUBLIC_URL ?? `http://127.0.0.1:${webPort}`,
      limits: {
        requestsPerMinute: e.KEHOACH_WEB_RATE_LIMIT ?? DEFAULT_WEB_LIMITS.requestsPerMinute,
        loginMaxFailures: e.KEHOACH_LOGIN_MAX_FAILURES ?? DEFAULT_WEB_LIMITS.loginMaxFailures,
        loginLockoutMinutes: e.KEHOACH_LOGIN_LOCKOUT_MINUTES ?? DEFAULT_WEB_LIMITS.loginLockoutMinutes,
      },
      trustedProxies: e.KEHOACH_WEB_TRUSTED_PROXIES ?? [],
    },
    mail: {
      smtpUrl: e.KEHOACH_SMTP_URL,
      from: e.KEHOACH_MAIL_FROM ?? 'Kế hoạch xã Hà Đông <kehoach@ha-dong.example>',
      outboxDir: path.join(dataDir, 'outbox'),
    },
    ledgerUrl: e.KEHOACH_LEDGER_URL,
    linkSecret: e.KEHOACH_LINK_SECRET,
    officePassword: e.KEHOACH_OFFICE_PASSWORD,
    accountsFile: path.join(dataDir, 'accounts.json'),
    attachments: e.KEHOACH_ATTACHMENTS_S3_BUCKET
      ? {
          kind: 's3',
          bucket: e.KEHOACH_ATTACHMENTS_S3_BUCKET,
          region: e.KEHOACH_ATTACHMENTS_S3_REGION ?? 'us-east-1',
          ...(e.KEHOACH_ATTACHMENTS_S3_ENDPOINT ? { endpoint: e.KEHOACH_ATTACHMENTS_S3_ENDPOINT } : {}),
        }
      : { kind: 'dir', dir: path.join(dataDir, 'tep-dinh-kem') },
    planFile: path.resolve(cwd, e.KEHOACH_PLAN ?? 'plans/ha-dong-2026.yaml'),
    plans:
      e.KEHOACH_PLAN !== undefined
        ? { kind: 'file', file: path.resolve(cwd, e.KEHOACH_PLAN) }
        : { kind: 'dir', dir: path.resolve(cwd, e.KEHOACH_PLANS_DIR ?? 'plans') },
    logLevel: e.KEHOACH_LOG_LEVEL ?? 'info',
    workflowTasksAtOnce: e.KEHOACH_WORKFLOW_TASKS_AT_ONCE,
  };
  return deepFreeze(config);
}

/** The address clients and workers dial: the external cluster, or the embedded dev server. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `127.0.0.1:${config.devServer?.port ?? 7233}`;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
