// The screens not driven by the other tests, each checked for its core content and saved as a
// screenshot in artifacts/: the market overview with live trades, an admin's deposit, the chain
// explorer with a block whose hash and commit certificate the browser verifies itself, the
// operator's balancing panels, the admin desk (participants, meter registration, a signed daily
// report verified in the browser) and governance as an authority sees it.
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
  // Deposits is one of the admin desk's sections, with the same section tabs as the others.
  const sections = page.getByRole('navigation', { name: 'Admin sections' });
  await expect(sections.locator('a[aria-current="page"]')).toHaveText('Deposits');
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

test('the operator dashboard shows frequency, imbalance, positions, flows, reserves and consensus', async ({
  page,
}) => {
  await useLanguage(page, 'en');
  await signIn(page, 'operator');
  await page.goto(`${baseUrl()}/grid`);
  await expect(page.getByTestId('frequency')).toContainText(/\d{2}\.\d{3} Hz/);
  await expect(page.getByTestId('frequency-state')).toHaveText(/^(NORMAL|ALERT|EMERGENCY)$/);
  await expect(page.getByTestId('system-imbalance')).toContainText('kWh');
  await expect(page.getByTestId('positions').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('flows').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('reserve-summary').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('grid-map')).toBeVisible();
  // The chain's consensus: the four authorities' validators, all running.
  const consensus = page.getByTestId('consensus');
  await expect(consensus.getByTestId('consensus-validator')).toHaveCount(4);
  for (const name of ['EGAT', 'MEA', 'PEA', 'ERC'])
    await expect(
      consensus.getByTestId('consensus-validator').filter({ hasText: name }),
    ).toHaveCount(1);
  await expect(consensus.getByText('Stopped')).toHaveCount(0);
  // Activation is confirmed in a dialog that previews the merit order; with no offers the
  // engine's refusal is shown as a sentence.
  await page.getByTestId('activate-reserve').click();
  const dialog = page.getByTestId('reserve-dialog');
  await dialog.getByTestId('reserve-mw').fill('1.5');
  await expect(dialog.getByTestId('reserve-preview')).toContainText('No offers');
  await dialog.getByTestId('reserve-reason').fill('Evening ramp in Bangkok');
  await dialog.getByTestId('confirm-reserve').click();
  await expect(dialog.getByRole('alert')).toHaveText('There are no reserve offers to activate.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await shoot(page, 'grid-dashboard');
});

test('the admin desk: participants, a meter registered, a daily report verified', async ({
  page,
}) => {
  await useLanguage(page, 'en');
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('link', { name: /^Participants/ }).click();
  await expect(
    page.getByTestId('participant-row').filter({ hasText: 'trader2@gridtokenx.local' }),
  ).toBeVisible();
  await shoot(page, 'admin-participants');

  await page
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Meters' })
    .click();
  const form = page.getByTestId('meter-register');
  await form.getByTestId('participant-search').fill('Malee');
  await form
    .getByTestId('participant-option')
    .filter({ hasText: 'trader2@gridtokenx.local' })
    .click();
  await form.getByLabel('Kind').selectOption('SOLAR');
  await form.getByLabel('Capacity (kW)').fill('5');
  await form.getByLabel('Label (optional)').fill('Chiang Mai rooftop');
  await form.getByRole('button', { name: 'Register meter' }).click();
  await expect(form.getByRole('status')).toContainText('registered');
  await expect(form.getByRole('status')).toContainText('shown only now');
  await expect(
    page.getByTestId('meter-row').filter({ hasText: 'Chiang Mai rooftop' }),
  ).toBeVisible();
  await shoot(page, 'admin-meters');

  // The day before yesterday (ICT) has settled whatever the hour (yesterday's report waits for
  // its last metering window, just after midnight): it is built, downloadable, and verifies here.
  await page
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Reports' })
    .click();
  const settledDay = new Date(Date.now() + 7 * 3_600_000 - 2 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  await page.getByTestId('report-day').fill(settledDay);
  await page.getByTestId('report-fetch').click();
  await expect(page.getByTestId('report')).toBeVisible();
  await page.getByTestId('verify-json').click();
  await expect(page.getByTestId('verified-json')).toHaveAttribute('data-state', 'verified');
  await page.getByTestId('verify-csv').click();
  await expect(page.getByTestId('verified-csv')).toHaveAttribute('data-state', 'verified');
  const download = page.waitForEvent('download');
  await page.getByTestId('download-csv').click();
  expect((await download).suggestedFilename()).toMatch(
    /^gridtokenx-report-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  await shoot(page, 'admin-reports');
});

test('governance shows proposals, parameters in force and the validators', async ({ page }) => {
  await useLanguage(page, 'en');
  await signIn(page, 'egat');
  await page.getByRole('link', { name: 'Governance' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Governance');
  await expect(page.getByTestId('propose')).toBeVisible();
  await expect(page.getByTestId('gov-parameters')).toContainText('price_cap_ticks');
  await expect(page.getByTestId('gov-parameters')).toContainText('kgCO₂e/kWh');
  await shoot(page, 'governance');
});
