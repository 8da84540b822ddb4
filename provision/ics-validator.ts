/**
 * An independent strict iCalendar validator for the tests: ical4j from Maven Central with a small
 * launcher (ics-validator/KehoachIcsValidator.java) that parses and validates files with every
 * relaxed mode off, including the iTIP rules (RFC 5546) of the calendar's METHOD. Assembled like
 * the time-skipping test server: a throw-away pom, `mvn dependency:copy-dependencies` into the
 * cache, javac, and a fingerprint so a version or source change rebuilds it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir';
import { type Log, ProvisionError } from './provision-error';
import { assembleFromMaven } from './maven-assembly';
import { runCommand } from './run-command';

export const ICAL4J_VERSION = '4.0.8';
/** The slf4j-api version ical4j 4.0.8 depends on; the no-op binding keeps its output clean. */
const SLF4J_VERSION = '2.0.12';
const VALIDATOR_SOURCE = fileURLToPath(new URL('./ics-validator/KehoachIcsValidator.java', import.meta.url));

export interface ProvidedIcsValidator {
  /** `java` arguments before the file names. */
  javaArgs: string[];
  source: 'cache' | 'built';
}

function pom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kehoach</groupId>
  <artifactId>ics-validator-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.mnode.ical4j</groupId><artifactId>ical4j</artifactId><version>${ICAL4J_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>${SLF4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;
}

function fingerprint(): string {
  return createHash('sha256')
    .update(ICAL4J_VERSION)
    .update(SLF4J_VERSION)
    .update(readFileSync(VALIDATOR_SOURCE))
    .digest('hex')
    .slice(0, 16);
}

function javaArgs(home: string): string[] {
  const classes = path.join(home, 'classes');
  const lib = path.join(home, 'lib');
  return ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx256m', '-cp', `${classes}${path.delimiter}${lib}/*`, 'KehoachIcsValidator'];
}

export async function provideIcsValidator(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<ProvidedIcsValidator> {
  const home = path.join(cacheDir(env), 'ics-validator');
  const stamp = path.join(home, 'fingerprint');
  const wanted = fingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return { javaArgs: javaArgs(home), source: 'cache' };

  for (const tool of ['java', 'javac', 'mvn'] as const) {
    const result = await runCommand(tool, tool === 'mvn' ? ['-v'] : ['-version']);
    if (result.code !== 0) {
      throw new ProvisionError(
        `Cần ${tool} để dựng bộ kiểm tra iCalendar (ical4j ${ICAL4J_VERSION}) nhưng không tìm thấy. ` +
          'Hãy cài JDK 17 và Maven (apt-get install openjdk-17-jdk-headless maven).',
      );
    }
  }
  log(`Lắp bộ kiểm tra iCalendar nghiêm ngặt (ical4j ${ICAL4J_VERSION}) từ Maven Central...`);
  await assembleFromMaven({ home, pom: pom(), source: VALIDATOR_SOURCE, what: 'bộ kiểm tra iCalendar' }, log);
  writeFileSync(stamp, wanted);
  return { javaArgs: javaArgs(home), source: 'built' };
}
