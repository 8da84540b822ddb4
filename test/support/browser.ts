/** Debian's Chromium, headless and offline, the way every browser test launches it. */
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** How wide the page is against the window: wider means the reader scrolls sideways. */
export async function scrollWidth(page: Page): Promise<{ scroll: number; viewport: number }> {
  // A string: the tests are compiled without the DOM's types.
  return page.evaluate('({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })');
}
