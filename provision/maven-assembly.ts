/**
 * A small Java program assembled from Maven Central: a throw-away pom's runtime dependencies copied
 * into `<home>/lib`, one source file compiled into `<home>/classes`. Used for the time-skipping test
 * server's launcher and the strict iCalendar validator.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Log, ProvisionError } from './provision-error';
import { runCommand } from './run-command';

export interface MavenAssembly {
  home: string;
  pom: string;
  source: string;
  /** Vietnamese, for the error messages: what is being assembled. */
  what: string;
}

export async function assembleFromMaven(assembly: MavenAssembly, log: Log): Promise<{ lib: string; classes: string }> {
  const { home } = assembly;
  rmSync(home, { recursive: true, force: true });
  const lib = path.join(home, 'lib');
  const classes = path.join(home, 'classes');
  mkdirSync(lib, { recursive: true });
  mkdirSync(classes, { recursive: true });
  writeFileSync(path.join(home, 'pom.xml'), assembly.pom);
  const fetched = await runCommand(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      path.join(home, 'pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      `-DoutputDirectory=${lib}`,
      '-DincludeScope=runtime',
    ],
    { echo: (line) => log(`  mvn: ${line}`) },
  );
  if (fetched.code !== 0) throw new ProvisionError(`Tải thư viện cho ${assembly.what} từ Maven thất bại (mã ${fetched.code}).`);
  log('  biên dịch...');
  const compiled = await runCommand('javac', ['-d', classes, '-cp', `${lib}/*`, assembly.source]);
  if (compiled.code !== 0) throw new ProvisionError(`Biên dịch ${assembly.what} thất bại:\n${compiled.stderr}`);
  return { lib, classes };
}
