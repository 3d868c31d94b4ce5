// What the browser tests share: the running system's address, the demo accounts, signing in
// through the real form, calling the engine's tRPC endpoints the way the browser does (for
// arranging a scene quickly), and picking a delivery interval that stays open for the test.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run through playwright.config.ts');
  return url;
}

export const DEMO = {
  trader: { email: 'trader@gridtokenx.local', password: 'trader-demo-2026' },
  trader2: { email: 'trader2@gridtokenx.local', password: 'trader2-demo-2026' },
  operator: { email: 'operator@gridtokenx.local', password: 'operator-demo-2026' },
  admin: { email: 'admin@gridtokenx.local', password: 'admin-demo-2026' },
  egat: { email: 'egat@gridtokenx.local', password: 'egat-demo-2026' },
} as const;

export type Who = keyof typeof DEMO;

/** Signs in through the sign-in page, in the page's language (English unless set). */
export async function signIn(page: Page, who: Who, base = baseUrl()): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.locator('input[type="email"]').fill(DEMO[who].email);
  await page.locator('input[type="password"]').fill(DEMO[who].password);
  await page.locator('form button[type="submit"]').click();
  // Each role lands on its home page (the account menu may be folded away on a phone).
  await expect(page).not.toHaveURL(/\/signin$/);
  await expect(page.getByTestId('account')).toBeAttached();
}

/** Sets the language cookie before the first page load. */
export async function useLanguage(page: Page, lang: 'en' | 'th', base = baseUrl()): Promise<void> {
  await page.context().addCookies([{ name: 'gtx_locale', value: lang, url: base }]);
}

interface SuperJson {
  json: unknown;
  meta?: { values?: Record<string, unknown> };
}

/** A tRPC query over HTTP (superjson: bigints come back as decimal strings). */
export async function query<T>(
  request: APIRequestContext,
  path: string,
  input?: unknown,
  base = baseUrl(),
): Promise<T> {
  const qs =
    input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await request.get(`${base}/trpc/${path}${qs}`);
  const body = (await res.json()) as { result?: { data: SuperJson }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json as T;
}

export async function mutate<T>(
  request: APIRequestContext,
  path: string,
  input: unknown,
  base = baseUrl(),
): Promise<T> {
  const res = await request.post(`${base}/trpc/${path}`, { data: { json: input } });
  const body = (await res.json()) as { result?: { data: SuperJson }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json as T;
}

export async function apiSignIn(request: APIRequestContext, who: Who, base = baseUrl()) {
  await mutate(request, 'auth.login', DEMO[who], base);
}

/** Waits until the signed-in trader's seeded THB is on chain and available. */
export async function waitForFunds(request: APIRequestContext, base = baseUrl()): Promise<void> {
  await expect
    .poll(
      async () => {
        try {
          const b = await query<{ availableSatang: string }>(
            request,
            'wallet.balances',
            undefined,
            base,
          );
          return BigInt(b.availableSatang);
        } catch {
          return 0n;
        }
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBeGreaterThan(0n);
}

/**
 * An interval whose continuous market is open now and stays open for at least `minutes` (the
 * nearest ones close five minutes before delivery), as epoch milliseconds.
 */
export async function roomyInterval(
  request: APIRequestContext,
  minutes = 20,
  base = baseUrl(),
): Promise<number> {
  const data = await query<{ now: string; intervals: { start: string; trading: boolean }[] }>(
    request,
    'market.intervals',
    undefined,
    base,
  );
  const now = Date.parse(data.now);
  const pick = data.intervals.find(
    (i) => i.trading && Date.parse(i.start) - 5 * 60_000 - now > minutes * 60_000,
  );
  if (!pick) throw new Error('no interval stays open long enough');
  return Date.parse(pick.start);
}

/** True when the document is wider than the viewport (sideways scrolling). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
}

/** Saves a screenshot in artifacts/ (scrolled to the top first, so the sticky header sits there). */
export async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  await page.screenshot({ path: `artifacts/${name}.png`, fullPage });
}
