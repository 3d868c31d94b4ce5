// The screens not driven by the other tests, each checked for its core content and saved as a
// screenshot in artifacts/: the market overview with live trades, an admin's deposit, and the
// chain explorer with a block whose hash and commit certificate the browser verifies itself.
import { expect, request as playwrightRequest, test } from '@playwright/test';
import {
  apiSignIn,
  baseUrl,
  mutate,
  roomyInterval,
  shoot,
  signIn,
  useLanguage,
  waitForFunds,
} from '../support/app.ts';

test('market overview shows trades live', async ({ page }) => {
  await useLanguage(page, 'en');
  const seller = await playwrightRequest.newContext();
  const buyer = await playwrightRequest.newContext();
  await apiSignIn(seller, 'trader');
  await apiSignIn(buyer, 'trader2');
  await waitForFunds(buyer);
  const t = await roomyInterval(seller, 20);
  await page.goto(baseUrl());
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');

  // Trades arriving while the page is open show up in their cells without a reload.
  const place = (ctx: typeof seller, side: 'buy' | 'sell', zone: string, priceTicks: number) =>
    mutate(ctx, 'orders.place', {
      zone,
      intervalStart: new Date(t).toISOString(),
      side,
      type: 'limit',
      priceTicks,
      quantityWh: 1_500,
      tif: side === 'buy' ? 'IOC' : 'GTC',
    });
  await place(seller, 'sell', 'PEA-C', 33_800);
  await place(buyer, 'buy', 'PEA-C', 33_800);
  await place(seller, 'sell', 'PEA-NE', 31_200);
  await place(buyer, 'buy', 'PEA-NE', 31_200);
  // (A buyer may match a cheaper seller in a linked zone, so only the presence of a price is
  // certain here, not which one.)
  for (const zone of ['PEA-C', 'PEA-NE']) {
    await expect(page.locator(`a[href="/trade/${zone}/${t}"]`)).toHaveAccessibleName(
      /: last \d+\.\d{2} THB\/kWh$/,
    );
  }
  await shoot(page, 'markets');
  await seller.dispose();
  await buyer.dispose();
});

test('an admin credits a deposit to a participant', async ({ page }) => {
  await useLanguage(page, 'en');
  await signIn(page, 'admin');
  await expect(page).toHaveURL(/\/admin\/deposits$/);
  const form = page.getByTestId('deposit-form');
  await page.getByTestId('deposit-account').fill('not-an-id');
  await page.getByTestId('deposit-amount').fill('500');
  await page.getByTestId('deposit-submit').click();
  await expect(form.getByRole('alert')).toHaveText('Enter the participant’s account id (a UUID).');

  // Find the participant by name; choosing them fills in their account id.
  await page.getByTestId('participant-search').fill('Malee');
  await page
    .getByTestId('participant-option')
    .filter({ hasText: 'trader2@gridtokenx.local' })
    .click();
  await expect(page.getByTestId('deposit-account')).toHaveValue(/^[0-9a-f-]{36}$/);
  await page.getByTestId('deposit-submit').click();
  await expect(page.getByTestId('deposits-done')).toContainText('500.00 THB');
  await expect(page.getByTestId('deposits-done')).toContainText('Queued for the chain');
  await shoot(page, 'admin-deposit');
});

test('the chain explorer lists blocks and validators and verifies a block', async ({ page }) => {
  await useLanguage(page, 'en');
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Explorer' }).click();
  await expect(page.getByTestId('chain-head')).toContainText('#');
  await expect(page.getByTestId('validator')).toHaveCount(4);
  await expect(page.getByTestId('validator').first()).toContainText('Signing');
  await expect(page.getByTestId('block-row').first()).toBeVisible();
  await shoot(page, 'explorer');

  // Open a block with transactions; its header hash and commit signatures check out here.
  const withTxs = page
    .getByTestId('block-row')
    .filter({ has: page.locator('td.num', { hasText: /^[1-9]/ }) })
    .first();
  await withTxs.getByRole('link').click();
  await expect(page.getByTestId('block-verify')).toHaveAttribute('data-verified', 'true');
  await expect(page.getByTestId('block-verify')).toContainText('Commit certificate valid');
  expect(await page.getByTestId('commit').locator('li').count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('block-txs').locator('tbody tr').first()).toBeVisible();
  await shoot(page, 'explorer-block');
});
