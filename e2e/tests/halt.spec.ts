// An operator halts a zone from the balancing dashboard (confirmed, with a reason); a trader's
// new order there is rejected with the halt message; the operator resumes and trading works again.
import { expect, test } from '@playwright/test';
import { baseUrl, roomyInterval, shoot, signIn, useLanguage } from '../support/app.ts';

const ZONE = 'PEA-N';

test('an operator halts a zone, a trader is refused there, the operator resumes', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const control = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const desk = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const op = await control.newPage();
  const trader = await desk.newPage();
  await useLanguage(op, 'en');
  await useLanguage(trader, 'en');
  await signIn(op, 'operator');
  await signIn(trader, 'trader');
  const t = await roomyInterval(trader.request, 15);

  await op.goto(`${baseUrl()}/grid`);
  const card = op.getByTestId(`zone-card-${ZONE}`);
  await expect(card.getByTestId('zone-state')).toHaveText('TRADING');
  await expect(op.getByTestId('links').locator('tbody tr')).toHaveCount(10);
  await shoot(op, 'grid');

  await trader.goto(`${baseUrl()}/trade/${ZONE}/${t}`);
  await expect(trader.getByTestId('ladder')).toBeVisible();

  // Halting asks for confirmation and a reason; a too-short reason is refused in the dialog.
  await card.getByTestId(`halt-${ZONE}`).click();
  const dialog = op.getByTestId('grid-dialog');
  await expect(dialog.getByRole('heading')).toHaveText(`Halt trading in ${ZONE}?`);
  await dialog.getByTestId('reason-input').fill('no');
  await dialog.getByTestId('confirm-action').click();
  await expect(dialog.getByRole('alert')).toHaveText('Give a reason of at least 3 characters.');
  await dialog.getByTestId('reason-input').fill('Line trip on the Mae Moh 500 kV corridor');
  await shoot(op, 'grid-halt-dialog', false);
  await dialog.getByTestId('confirm-action').click();
  await expect(dialog).not.toBeVisible();
  await expect(card.getByTestId('zone-state')).toHaveText('HALTED');
  await expect(card).toContainText('Line trip on the Mae Moh 500 kV corridor');

  // The trader's screen learns of the halt live; an order there is refused with the reason why.
  await expect(trader.getByTestId('halt-banner')).toContainText(
    'Line trip on the Mae Moh 500 kV corridor',
  );
  const ticket = trader.getByTestId('ticket');
  await ticket.getByTestId('side-sell').click();
  await ticket.getByTestId('ticket-price').fill('3.10');
  await ticket.getByTestId('ticket-qty').fill('1');
  await ticket.getByTestId('ticket-submit').click();
  await expect(ticket.getByTestId('ticket-result')).toHaveText(
    'Trading in this zone is halted by the grid operator.',
  );
  await shoot(trader, 'trade-halted');

  // Resume, with a reason; the trader's banner goes and the same order is accepted.
  await card.getByTestId(`resume-${ZONE}`).click();
  await dialog.getByTestId('reason-input').fill('Corridor restored after inspection');
  await dialog.getByTestId('confirm-action').click();
  await expect(card.getByTestId('zone-state')).toHaveText('TRADING');
  await expect(trader.getByTestId('halt-banner')).toHaveCount(0);
  await ticket.getByTestId('ticket-submit').click();
  await expect(ticket.getByTestId('ticket-result')).toContainText('accepted');

  await control.close();
  await desk.close();
});
