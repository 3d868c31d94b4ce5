// A day-ahead cycle on a system of its own running simulated time (20× real time, starting
// shortly before the 12:00 ICT gate closure): a trader draws a supply curve for one hour, copies
// it across the next, adds a block order and submits; a buyer bids against it; at gate closure
// the page turns into the results — clearing prices per zone and the trader's accepted quantities.
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { apiSignIn, mutate, shoot, signIn, useLanguage, waitForFunds } from '../support/app.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';

/** 11:43 ICT on 10 December 2026: the gate for 11 December closes 17 simulated minutes later. */
const CLOCK_START = '2026-12-10T04:43:00Z';
const DELIVERY_DAY_START = Date.parse('2026-12-10T17:00:00Z'); // 11 Dec 00:00 ICT
const at = (hh: number, mm = 0) => DELIVERY_DAY_START + (hh * 60 + mm) * 60_000;

let system: RunningSystem;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  system = await startSystem({ CLOCK: 'sim', CLOCK_SPEED: '20', CLOCK_START });
});

test.afterAll(async () => {
  await system?.stop();
});

test('a day-ahead curve is submitted before gate closure and its results are shown', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const base = system.baseUrl;
  await useLanguage(page, 'en', base);
  await signIn(page, 'trader', base);
  await page.goto(`${base}/day-ahead`);
  const gate = page.getByTestId('gate-bar');
  await expect(gate).toHaveAttribute('data-state', 'open');
  await expect(gate).toContainText('Simulated clock');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day-ahead auction');

  // A supply curve for 10:00–10:15 in Bangkok: 5 kWh at 3.00 and 5 kWh more at 3.40 …
  await page.getByTestId('da-zone').selectOption('MEA-BKK');
  await page.getByTestId('da-side-sell').click();
  await page.getByTestId('qh-40').click();
  await page.getByTestId('step-price-0').fill('3.00');
  await page.getByTestId('step-qty-0').fill('5');
  await page.getByTestId('add-step').click();
  await page.getByTestId('step-price-1').fill('3.40');
  await page.getByTestId('step-qty-1').fill('5');
  // … copied to every quarter-hour of 10:00–12:00 …
  await page.getByTestId('copy-from').selectOption('10');
  await page.getByTestId('copy-to').selectOption('11');
  await page.getByTestId('copy-apply').click();
  await expect(page.getByTestId('qh-47')).toHaveText('10.0');
  // … and a block: 2 kWh in each quarter-hour of 12:00–13:00 at 3.20, all or nothing.
  await page.getByTestId('da-tab-blocks').click();
  await page.getByTestId('block-price').fill('3.20');
  await page.getByTestId('block-qty').fill('2');
  await page.getByTestId('block-from').selectOption('48');
  await page.getByTestId('block-to').selectOption('51');
  await page.getByTestId('block-add').click();
  await expect(page.getByTestId('block-list')).toContainText('12:00–13:00');
  await expect(page.getByTestId('da-order-count')).toHaveText('17');
  await shoot(page, 'day-ahead-draft');
  await page.getByTestId('da-submit').click();
  await expect(page.getByTestId('da-my-orders').getByTestId('da-order')).toHaveCount(17);
  await expect(page.getByTestId('da-order-count')).toHaveText('0');
  await shoot(page, 'day-ahead-submitted');

  // A buyer bids 3 kWh at 4.00 for 10:00–12:00 and 2 kWh at 3.50 for 12:00–13:00.
  const buyer = await playwrightRequest.newContext();
  await apiSignIn(buyer, 'trader2', base);
  await waitForFunds(buyer, base);
  const bids = [
    ...Array.from({ length: 8 }, (_, i) => ({ t: at(10, i * 15), price: 40_000, wh: 3_000 })),
    ...Array.from({ length: 4 }, (_, i) => ({ t: at(12, i * 15), price: 35_000, wh: 2_000 })),
  ];
  await mutate(
    buyer,
    'dayAhead.submit',
    {
      orders: bids.map((b) => ({
        kind: 'simple',
        zone: 'MEA-BKK',
        side: 'buy',
        intervalStart: new Date(b.t).toISOString(),
        priceTicks: b.price,
        quantityWh: b.wh,
      })),
    },
    base,
  );
  await buyer.dispose();

  // Gate closure passes on the simulated clock; the page switches to the results by itself.
  await expect(gate).toHaveAttribute('data-state', 'closed', { timeout: 90_000 });
  const results = page.getByTestId('da-results');
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId(`da-price-MEA-BKK-${at(10)}`)).toHaveText(/^\d+\.\d{2}/);
  await expect(page.getByTestId(`da-price-PEA-S-${at(10)}`)).toHaveText(/^\d+\.\d{2}/);
  const accepted = page.getByTestId('da-accepted').getByTestId('da-accepted-row');
  await expect(accepted).toHaveCount(17);
  // At 10:00 the buyer took 3 kWh: the curve's first step is accepted for 3.0 of its 5.0 kWh,
  // and the block is accepted whole (2 kWh in each of its four quarter-hours).
  const at10 = accepted.filter({ hasText: '10:00–10:15' }).getByTestId('da-accepted-qty');
  await expect(at10).toHaveCount(2);
  expect((await at10.allInnerTexts()).sort()).toEqual(['0.0', '3.0']);
  await expect(accepted.filter({ hasText: 'Block' }).getByTestId('da-accepted-qty')).toHaveText(
    '8.0',
  );
  await shoot(page, 'day-ahead-results');
});
