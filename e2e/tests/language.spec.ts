// The language switch changes the whole page, not just the menu: after switching to Thai no
// English words are left on the main screens (machine values such as codes and hashes are
// marked translate="no" and skipped), and the choice is remembered across a reload. A phone-sized
// screen shows the trading screen without sideways scrolling.
import { expect, test, type Page } from '@playwright/test';
import {
  baseUrl,
  roomyInterval,
  scrollsSideways,
  shoot,
  signIn,
  useLanguage,
} from '../support/app.ts';

/** Latin words the Thai interface keeps: units, order codes, names of products and brands. */
const ALLOWED = new Set([
  'kWh',
  'MW',
  'MWh',
  'kgCO',
  'tCO',
  'ICT',
  'UTC',
  'GT',
  'REC',
  'GTC',
  'IOC',
  'FOK',
  'PGlite',
  'PostgreSQL',
  'EN',
]);

/** Words of the page's visible text in Latin letters, outside translate="no" elements. */
async function latinWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const words: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('[translate="no"], script, style, noscript, select, .sr-only'))
        continue;
      if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
      for (const w of (node.textContent ?? '').match(/[A-Za-z]{2,}/g) ?? []) words.push(w);
    }
    return words;
  });
}

async function expectAllThai(page: Page) {
  const words = (await latinWords(page)).filter((w) => !ALLOWED.has(w));
  expect(words, `English left on ${page.url()}`).toEqual([]);
}

test('the language switch turns every screen Thai and is remembered', async ({ page }) => {
  test.setTimeout(90_000);
  await useLanguage(page, 'en');
  await signIn(page, 'trader');
  const t = await roomyInterval(page.request, 10);
  await page.goto(`${baseUrl()}/trade/MEA-BKK/${t}`);
  await expect(page.getByTestId('ticket-submit')).toContainText('Buy');

  await page.getByTestId('lang-th').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByTestId('ticket-submit')).toContainText('ซื้อ');
  await expect(page.getByRole('link', { name: 'ภาพรวมตลาด' })).toBeVisible();
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expectAllThai(page);
  await shoot(page, 'trade-th');

  // Remembered: a reload (and every other page) stays Thai.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByTestId('ticket-submit')).toContainText('ซื้อ');
  for (const path of ['/', '/day-ahead', '/wallet', '/explorer', '/status']) {
    await page.goto(`${baseUrl()}${path}`);
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAllThai(page);
  }
  await shoot(page, 'status-th');

  // An engine refusal reads in Thai too.
  await page.goto(`${baseUrl()}/trade/MEA-BKK/${t}`);
  const ticket = page.getByTestId('ticket');
  await ticket.getByTestId('side-buy').click();
  await ticket.getByTestId('ticket-price').fill('19.99');
  await ticket.getByTestId('ticket-qty').fill('5000');
  await ticket.getByTestId('ticket-submit').click();
  await expect(ticket.getByTestId('ticket-result')).toHaveText('ยอดเงินบาทที่ใช้ได้ไม่พอรองรับคำสั่งนี้');

  await page.getByTestId('lang-en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('ticket-submit')).toContainText('Buy');
});

test('a phone shows the trading screen without sideways scrolling', async ({ browser }) => {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await phone.newPage();
  await useLanguage(page, 'en');
  await signIn(page, 'trader');
  const t = await roomyInterval(page.request, 10);
  await page.goto(`${baseUrl()}/trade/MEA-BKK/${t}`);
  await expect(page.getByTestId('ticket-submit')).toBeVisible();
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByTestId('candles')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(await scrollsSideways(page)).toBe(false);
  await shoot(page, 'trade-phone');

  // The menu folds behind a button and opens with it.
  await expect(page.getByRole('link', { name: 'Wallet', exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('link', { name: 'Wallet', exact: true })).toBeVisible();
  await page.getByTestId('lang-th').click();
  expect(await scrollsSideways(page)).toBe(false);
  await shoot(page, 'trade-phone-th');

  for (const path of ['/', '/day-ahead', '/wallet']) {
    await page.goto(`${baseUrl()}${path}`);
    await expect(page.locator('main h1').first()).toBeVisible();
    expect(await scrollsSideways(page), path).toBe(false);
  }
  await phone.close();
});
