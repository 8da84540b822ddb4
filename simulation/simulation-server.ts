/**
 * The simulation's own time-skipping server, launched as early as the plan is known: `kehoach
 * simulate` starts the JVM (seconds to boot) before it loads the SDKs, the worker and the report
 * builder, so both happen at once. Light on purpose: nothing here loads the Temporal SDK.
 */
import { localDateTimeToUtc } from '../domain/calendar';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import type { ExpandedPlan } from '../domain/schedule/types';
import { isOnPath } from '../provision/find-on-path';
import type { Log } from '../provision/provision-error';
import type { LaunchedServer } from '../provision/server-process';
import { launchTimeSkippingServer } from './time-skipping-server';

export class JavaMissingError extends Error {
  constructor() {
    super(
      'cần Java 17 để chạy máy chủ Temporal tua nhanh thời gian nhưng không tìm thấy lệnh "java". ' +
        'Hãy cài JDK 17 (Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless maven; các hệ khác: https://adoptium.net), ' +
        'chạy "npm run setup" rồi thử lại.',
    );
    this.name = 'JavaMissingError';
  }
}

export function requireJava(): void {
  if (!isOnPath('java')) throw new JavaMissingError();
}

/** The simulated clock starts at 00:00 local of the first day of the plan period. */
export function simulationStartedAt(plan: ExpandedPlan): string {
  return localDateTimeToUtc(periodOfPlan(plan).from, '00:00', plan.timeZone);
}

/** A server for `plan`'s simulated year, its JVM booting; whoever receives it stops it. */
export async function launchSimulationServer(plan: ExpandedPlan, log?: Log): Promise<LaunchedServer> {
  requireJava();
  return launchTimeSkippingServer({ initialTime: simulationStartedAt(plan), ...(log ? { log } : {}) });
}
