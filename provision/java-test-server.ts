/**
 * Assembles the time-skipping test server: Temporal's Java test server from Maven Central plus our
 * launcher (test-server/KehoachTestServer.java) that can start the server's clock at a chosen
 * instant. Whole-year tests need that: the plan year began before today, and a test server's clock
 * only moves forward. The stock server (TEMPORAL_TEST_SERVER_PATH, the SDK's download) cannot do
 * this, so the Java build is the one source, and an explicit launcher is accepted only if it takes
 * the same `PORT [INITIAL_INSTANT]` arguments.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir';
import { type Log, ProvisionError } from './provision-error';
import { assembleFromMaven } from './maven-assembly';
import { runCommand } from './run-command';

export const JAVA_TEST_SERVER_VERSION = '1.38.0';
const SLF4J_NOP_VERSION = '1.7.36';
const LAUNCHER_SOURCE = fileURLToPath(new URL('./test-server/KehoachTestServer.java', import.meta.url));

export interface ProvidedTestServer {
  /** Executable taking `PORT [INITIAL_INSTANT_ISO8601]`. */
  launcher: string;
  source: 'TEMPORAL_TEST_SERVER_PATH' | 'cache' | 'built';
  /** What the launcher prints once it listens (ours does, a server named by the environment may not). */
  readyLine?: string;
}

/** Printed by test-server/KehoachTestServer.java once its port is open. */
const READY_LINE = 'kehoach-test-server listening on';

function pom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kehoach</groupId>
  <artifactId>test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${JAVA_TEST_SERVER_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>${SLF4J_NOP_VERSION}</version></dependency>
  </dependencies>
</project>
`;
}

/** One compiler tier and a small serial heap suit a short-lived server on a small machine. */
const JVM_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx512m'];
/** An archive the JVM cannot map (another JDK since) is skipped without a word, and the server starts as before. */
const QUIET_CDS = ['-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
/** The launcher's layout: a new one rebuilds the cached server. */
const LAYOUT = 'jar-and-class-archive';

/**
 * Class data sharing: the classes a start of the server loads are archived once, here, and every
 * later start maps them instead of loading and verifying them again from the jars (0.3 s instead of
 * 0.8 s until it listens on the project's machine; every workflow test file and every simulation
 * starts one). The server is started once with `-XX:ArchiveClassesAtExit` and leaves as soon as it
 * listens. Without an archive (a JVM that cannot write one) the server only starts slower.
 */
async function archiveStartClasses(home: string, classPath: string, log: Log): Promise<string | undefined> {
  const archive = path.join(home, 'kehoach-test-server.jsa');
  const trained = await runCommand(
    'java',
    [...JVM_OPTIONS, `-XX:ArchiveClassesAtExit=${archive}`, ...QUIET_CDS, '-Dkehoach.exitWhenListening=true', '-cp', classPath, 'KehoachTestServer', '0'],
    { timeoutMs: 120_000 },
  );
  if (trained.code === 0 && existsSync(archive)) return archive;
  log(`  không lưu được lớp khởi động của máy chủ kiểm thử (mã ${trained.code}); máy chủ vẫn chạy, chỉ khởi động chậm hơn.`);
  return undefined;
}

/** Changes whenever the server version, the launcher source or its layout changes, forcing a rebuild. */
function fingerprint(): string {
  return createHash('sha256')
    .update(LAYOUT)
    .update(JAVA_TEST_SERVER_VERSION)
    .update(SLF4J_NOP_VERSION)
    .update(readFileSync(LAUNCHER_SOURCE))
    .digest('hex')
    .slice(0, 16);
}

/** How each tool the build needs is asked for its version (they do not agree). */
const VERSION_FLAG = { java: '-version', javac: '-version', jar: '--version', mvn: '-v' } as const;

async function requireTool(tool: keyof typeof VERSION_FLAG, hint: string): Promise<void> {
  const result = await runCommand(tool, [VERSION_FLAG[tool]]);
  if (result.code !== 0) {
    throw new ProvisionError(`Cần ${tool} để dựng máy chủ kiểm thử Temporal nhưng không tìm thấy. ${hint}`);
  }
}

export async function provideJavaTestServer(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<ProvidedTestServer> {
  if (env.TEMPORAL_TEST_SERVER_PATH) {
    if (!existsSync(env.TEMPORAL_TEST_SERVER_PATH)) {
      throw new ProvisionError(`TEMPORAL_TEST_SERVER_PATH=${env.TEMPORAL_TEST_SERVER_PATH} không tồn tại.`);
    }
    return { launcher: env.TEMPORAL_TEST_SERVER_PATH, source: 'TEMPORAL_TEST_SERVER_PATH' };
  }
  const home = path.join(cacheDir(env), 'test-server');
  const launcher = path.join(home, 'kehoach-test-server');
  const stamp = path.join(home, 'fingerprint');
  const wanted = fingerprint();
  if (existsSync(launcher) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
    return { launcher, source: 'cache', readyLine: READY_LINE };
  }

  const jdkHint = 'Hãy cài JDK 17 và Maven (apt-get install openjdk-17-jdk-headless maven).';
  await requireTool('java', jdkHint);
  await requireTool('javac', jdkHint);
  await requireTool('jar', jdkHint);
  await requireTool('mvn', jdkHint);

  const started = Date.now();
  log(`Lắp máy chủ kiểm thử tua nhanh thời gian (temporal-test-server ${JAVA_TEST_SERVER_VERSION}) từ Maven Central...`);
  const { lib, classes } = await assembleFromMaven({ home, pom: pom(), source: LAUNCHER_SOURCE, what: 'trình khởi động máy chủ kiểm thử' }, log);
  // Class data sharing takes jars only on its class path: the launcher's class goes into one.
  const jar = path.join(home, 'kehoach-test-server.jar');
  const packed = await runCommand('jar', ['cf', jar, '-C', classes, '.']);
  if (packed.code !== 0) throw new ProvisionError(`Đóng gói trình khởi động máy chủ kiểm thử thất bại:\n${packed.stderr}`);
  const classPath = `${jar}:${lib}/*`;
  const archive = await archiveStartClasses(home, classPath, log);
  // `exec` matters: whoever started the launcher stops it by pid; without exec the JVM would be orphaned.
  const options = [...JVM_OPTIONS, ...(archive ? [`-XX:SharedArchiveFile=${archive}`, ...QUIET_CDS] : [])].join(' ');
  writeFileSync(launcher, `#!/bin/sh\nexec java ${options} -cp "${classPath}" KehoachTestServer "$@"\n`);
  chmodSync(launcher, 0o755);
  writeFileSync(stamp, wanted);
  log(`  xong sau ${Math.round((Date.now() - started) / 1000)} giây.`);
  return { launcher, source: 'built', readyLine: READY_LINE };
}
