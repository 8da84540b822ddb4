/**
 * The web app on a free loopback port with Debian's Chromium beside it, the way every browser test
 * starts them. The app is built by the test (its plans, accounts, stores) from the base URL, which
 * its submission links need before it listens.
 */
import type { Browser } from 'playwright-core';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { freePort } from '../../provision/free-port';
import { createWebApp } from '../../web/server';
import { launchChromium } from './browser';
import type { PlanStack } from './plan-stack';

export type WebApp = Awaited<ReturnType<typeof createWebApp>>;

export interface ServedPages {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  baseUrl: string;
  port: number;
  web: WebApp;
  browser: Browser;
  /** The browser first, then the app. */
  close(): Promise<void>;
}

export async function servePages(build: (baseUrl: string) => WebApp | Promise<WebApp>): Promise<ServedPages> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const web = await build(baseUrl);
  let browser: Browser;
  try {
    await web.listen({ host: '127.0.0.1', port });
    browser = await launchChromium();
  } catch (error) {
    await web.close();
    throw error;
  }
  return {
    baseUrl,
    port,
    web,
    browser,
    async close() {
      await browser.close();
      await web.close();
    },
  };
}

type WebAppOptions = Parameters<typeof createWebApp>[0];

/**
 * The web app of a plan stack (its client and its one plan), links signed with `secret`, with
 * whatever else the test gives it (accounts, stores, limits).
 */
export function serveStackPages(
  stack: PlanStack,
  secret: string,
  options: Omit<WebAppOptions, 'client' | 'links' | 'plans'>,
): Promise<ServedPages> {
  return servePages((url) => createWebApp({ client: stack.client, links: createSubmissionLinks(secret, url), plans: [stack.catalog], ...options }));
}
