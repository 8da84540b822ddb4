import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { vietnameseCommanderText } from '../../client/cli-output';

const run = promisify(execFile);

describe('CLI text', () => {
  it("translates commander's headings and errors", () => {
    expect(vietnameseCommanderText('Usage: kehoach submit [options]\n\nOptions:\n')).toBe(
      'Cách dùng: kehoach submit [tùy-chọn]\n\nTùy chọn:\n',
    );
    expect(vietnameseCommanderText("error: unknown option '--bogus'")).toBe("lỗi: không có tùy chọn '--bogus'");
  });

  it('answers an unknown command in Vietnamese with a non-zero exit code', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'client/main.ts', 'frob']).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect('code' in failure && failure.code).toBe(1);
    expect('stderr' in failure ? failure.stderr : '').toContain("lỗi: không có lệnh 'frob'");
  });

  it('refuses status --due-soon with --overdue, which together would always list nothing', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'client/main.ts', 'status', '--due-soon', '--overdue']).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect('code' in failure && failure.code).toBe(1);
    expect('stderr' in failure ? failure.stderr : '').toContain("lỗi: không dùng tùy chọn '--due-soon' cùng với tùy chọn '--overdue'");
  });
});
