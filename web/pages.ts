/**
 * Every response of the web app is a Vietnamese HTML page with the same security headers, whether
 * a route, fastify or Node's HTTP parser produced it: a page units and the office read, never a
 * framework's English JSON.
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { compileTemplate } from '../domain/templates';

export const SITE_NAME = 'Hệ thống theo dõi kế hoạch – UBND xã';

/**
 * No framing (clickjacking), no sniffing, no Referer (submission links carry tokens), and nothing
 * kept in a cache: every page shows a unit's or the office's data as of now.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

const source = (name: string) => readFileSync(new URL(`./templates/${name}.html`, import.meta.url), 'utf8');
const layout = compileTemplate(source('layout'), 'html');
const partials = {
  submission: source('submission'),
  receipt: source('receipt'),
  message: source('message'),
  office: source('office'),
  city: source('city'),
  grid: source('grid'),
  history: source('history'),
  'mail-log': source('mail-log'),
  decision: source('decision'),
  'decision-done': source('decision-done'),
  request: source('request'),
  'report-sheet': source('report-sheet'),
};

export type PageName = keyof typeof partials;

/** A whole page as HTML; also written to a file for the office page of a simulated year. */
export function renderPage(content: PageName, view: Record<string, unknown>): string {
  return layout.render({ siteName: SITE_NAME, ...view }, { content: partials[content] });
}

export function page(reply: FastifyReply, status: number, content: PageName, view: Record<string, unknown>) {
  return reply.code(status).headers(SECURITY_HEADERS).header('content-type', 'text/html; charset=utf-8').send(renderPage(content, view));
}

export function messagePage(reply: FastifyReply, status: number, heading: string, message: string) {
  return page(reply, status, 'message', { pageTitle: heading, heading, message });
}

export interface ErrorText {
  heading: string;
  message: string;
}

/** What a refused or failed request is told, by HTTP status. */
export const ERROR_TEXTS: Readonly<Record<number, ErrorText>> = Object.freeze({
  400: {
    heading: 'Yêu cầu không hợp lệ',
    message: 'Hệ thống không đọc được yêu cầu này (có thể đường dẫn bị cắt hoặc sao chép thiếu). Hãy mở lại đường dẫn trong thư điện tử.',
  },
  401: {
    heading: 'Cần đăng nhập',
    message: 'Trang theo dõi chỉ dành cho văn phòng xã và thành phố: hãy đăng nhập bằng tài khoản và mật khẩu được cấp.',
  },
  403: {
    heading: 'Không có quyền xem',
    message: 'Tài khoản này không được xem trang này: mỗi văn phòng xã chỉ xem kế hoạch của xã mình. Nếu cần xem, hãy hỏi quản trị viên.',
  },
  404: { heading: 'Không tìm thấy trang', message: 'Trang này không tồn tại. Hãy mở đường dẫn nộp báo cáo trong thư điện tử.' },
  408: { heading: 'Hết thời gian chờ', message: 'Yêu cầu gửi đến quá chậm nên đã bị ngắt. Xin thử lại.' },
  413: {
    heading: 'Nội dung quá lớn',
    message: 'Nội dung gửi lên lớn hơn mọi báo cáo hợp lệ nên không được nhận. Hãy rút gọn rồi gửi lại.',
  },
  414: {
    heading: 'Địa chỉ quá dài',
    message: 'Đường dẫn dài hơn mọi đường dẫn hệ thống cấp, có thể đã bị sửa. Hãy mở lại đường dẫn trong thư điện tử.',
  },
  415: {
    heading: 'Không nhận nội dung dạng này',
    message: 'Trang chỉ nhận nội dung gửi từ biểu mẫu của chính nó. Hãy mở đường dẫn trong thư điện tử và nộp qua biểu mẫu.',
  },
  429: { heading: 'Quá nhiều yêu cầu', message: 'Có quá nhiều yêu cầu từ địa chỉ này trong thời gian ngắn. Xin thử lại sau ít phút.' },
  431: {
    heading: 'Yêu cầu quá lớn',
    message: 'Địa chỉ hoặc phần đầu của yêu cầu (ví dụ cookie) quá dài nên không được xử lý. Hãy mở lại đường dẫn trong thư điện tử.',
  },
  500: {
    heading: 'Không thực hiện được',
    message: 'Hệ thống đang gặp sự cố, xin thử lại sau ít phút. Nội dung chưa được ghi nhận.',
  },
  503: {
    heading: 'Hệ thống đang tạm dừng',
    message: 'Hệ thống đang dừng để khởi động lại, xin thử lại sau ít phút. Nội dung chưa được ghi nhận.',
  },
});

/** The text for a status; an unlisted client error reads as a bad request, anything else as a failure. */
export function errorText(status: number): ErrorText {
  return ERROR_TEXTS[status] ?? (ERROR_TEXTS[status >= 400 && status < 500 ? 400 : 500] as ErrorText);
}

export function errorPage(reply: FastifyReply, status: number, text: ErrorText = errorText(status)) {
  return messagePage(reply, status, text.heading, text.message);
}

/**
 * A whole HTTP/1.1 response for errors Node's parser answers before fastify sees a request
 * (headers too large, timeouts, garbage): written straight to the socket, then the socket closes.
 */
export function rawErrorResponse(status: number): string {
  const text = errorText(status);
  const body = renderPage('message', { pageTitle: text.heading, ...text });
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
