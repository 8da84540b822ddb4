import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../activities/mail/classify-smtp-error';

function smtpError(props: Record<string, unknown>): Error {
  return Object.assign(new Error(String(props.message ?? 'failed')), props);
}

describe('classifySmtpError', () => {
  it.each([550, 551, 552, 553, 554])('%i is a permanent refusal', (code) => {
    const failure = classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: code, response: `${code} 5.1.1 Không có hộp thư` }));
    expect(failure).toEqual({ kind: 'permanent', reason: `${code} 5.1.1 Không có hộp thư`, responseCode: code });
  });

  it.each([421, 450, 451, 452, 503])('%i is transient', (code) => {
    expect(classifySmtpError(smtpError({ code: 'EMESSAGE', responseCode: code, response: `${code} thử lại sau` })).kind).toBe(
      'transient',
    );
  });

  it("follows nodemailer's own err.permanent verdict when present", () => {
    expect(classifySmtpError(smtpError({ responseCode: 554, permanent: false })).kind).toBe('transient');
  });

  it.each(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS'])('%s without an SMTP reply is transient', (code) => {
    expect(classifySmtpError(smtpError({ code, message: 'Connection closed unexpectedly' }))).toEqual({
      kind: 'transient',
      reason: 'Connection closed unexpectedly',
      code,
    });
  });

  it('keeps retrying a refused login (operator configuration), even with a 5xx reply', () => {
    expect(classifySmtpError(smtpError({ code: 'EAUTH', responseCode: 535, response: '535 Authentication failed' })).kind).toBe(
      'transient',
    );
  });

  it('copes with values that are not errors at all', () => {
    expect(classifySmtpError('boom')).toEqual({ kind: 'transient', reason: 'boom', code: undefined });
  });
});
