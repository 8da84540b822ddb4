/**
 * The web app on a free loopback port with Debian's Chromium beside it, the way every browser test
 * starts them. The app is built by the test (its plans, accounts, stores) from the base URL, which
 * its submission links need before it listens.
 */
import type { Browser } from 'playwright-core';
import { freePort } from '../../provision/free-port';
import type { createWebApp } from '../../web/server';
import { launchChromium } from './browser';

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
