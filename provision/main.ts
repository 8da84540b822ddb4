/**
 * `npm run setup`: make sure both Temporal servers (and the tests' strict iCalendar validator)
 * are available, building them when needed, and say where each one came from and how long it took.
 */
import { provideIcsValidator } from './ics-validator';
import { provideJavaTestServer } from './java-test-server';
import { ProvisionError } from './provision-error';
import { provideTemporalCli } from './temporal-cli';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const only = process.argv[2];
  let started = Date.now();
  if (only !== 'test-server') {
    const cli = await provideTemporalCli(log);
    log(`Temporal CLI ${cli.version}: ${cli.path} (nguồn: ${cli.source}, ${((Date.now() - started) / 1000).toFixed(1)} giây)`);
  }
  started = Date.now();
  if (only !== 'dev-server') {
    const testServer = await provideJavaTestServer(log);
    log(`Máy chủ kiểm thử: ${testServer.launcher} (nguồn: ${testServer.source}, ${((Date.now() - started) / 1000).toFixed(1)} giây)`);
    started = Date.now();
    const validator = await provideIcsValidator(log);
    log(`Bộ kiểm tra iCalendar (ical4j): nguồn ${validator.source}, ${((Date.now() - started) / 1000).toFixed(1)} giây`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof ProvisionError) {
    process.stderr.write(`Lỗi chuẩn bị máy chủ: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
});
