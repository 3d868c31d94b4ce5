// Two traders in two browser contexts on one market: one rests an offer, the other crosses it;
// both see the trade, the book and their balances change without reloading. The seller's stream
// also loses a book message (a gap) and later its whole connection; the page recovers by itself
// each time. Open orders are amended and cancelled from the orders table.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import {
  baseUrl,
  roomyInterval,
  shoot,
  signIn,
  useLanguage,
  waitForFunds,
} from '../support/app.ts';

const ZONE = 'MEA-BKK';

async function placeOrder(page: Page, side: 'buy' | 'sell', price: string, qty: string) {
  const ticket = page.getByTestId('ticket');
  await ticket.getByTestId(`side-${side}`).click();
  await ticket.getByTestId('type-limit').click();
  await ticket.getByTestId('ticket-price').fill(price);
  await ticket.getByTestId('ticket-qty').fill(qty);
  await ticket.getByTestId('ticket-submit').click();
  await expect(ticket.getByTestId('ticket-result')).toContainText('accepted');
}

const askRow = (page: Page, price: string) =>
  page.getByTestId('ladder').getByTestId('ask-level').filter({ hasText: price });
const bidRow = (page: Page, price: string) =>
  page.getByTestId('ladder').getByTestId('bid-level').filter({ hasText: price });

test('two traders trade live: rest, cross, gap and reconnect recovery, amend and cancel', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const seller = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const buyer = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const a = await seller.newPage();
  const b = await buyer.newPage();
  await useLanguage(a, 'en');
  await useLanguage(b, 'en');

  // The seller's live connection runs through a test proxy that can drop a message or the
  // whole connection, the way a flaky network would.
  let dropNextBook = false;
  let blocked = false;
  let socket: WebSocketRoute | null = null;
  await a.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (blocked) {
      void ws.close();
      return;
    }
    socket = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (dropNextBook && typeof m === 'string' && m.includes('"type":"book"')) {
        dropNextBook = false;
        return;
      }
      ws.send(m);
    });
  });
  await a.route('**/socket.io/**', (route) => (blocked ? route.abort() : route.continue()));

  await signIn(a, 'trader');
  await signIn(b, 'trader2');
  await waitForFunds(b.request);
  const t = await roomyInterval(a.request, 20);
  const market = `${baseUrl()}/trade/${ZONE}/${t}`;
  await a.goto(market);
  await b.goto(market);
  for (const p of [a, b]) {
    await expect(p.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
    await expect(p.getByTestId('ladder')).toBeVisible();
    await expect(p.getByTestId('available')).toContainText('THB');
  }
  const buyerCashBefore = await b.getByTestId('available').innerText();

  // The seller rests an offer; both books show it at once.
  await placeOrder(a, 'sell', '3.47', '2');
  await expect(askRow(a, '3.47')).toContainText('2.0');
  await expect(askRow(b, '3.47')).toContainText('2.0');
  await expect(a.getByTestId('open-order').filter({ hasText: '3.47' })).toBeVisible();

  // The buyer crosses it. The seller's stream drops the book message of that trade.
  dropNextBook = true;
  await placeOrder(b, 'buy', '3.47', '2');
  await expect(b.getByTestId('ticket-result')).toContainText('filled 2.0 kWh');

  for (const p of [a, b]) {
    const print = p.getByTestId('tape').getByTestId('tape-row').filter({ hasText: '3.47' });
    await expect(print.first()).toContainText('2.0');
    await expect(p.getByTestId('last-price')).toContainText('3.47');
  }
  await expect(askRow(b, '3.47')).toHaveCount(0);
  await expect(b.getByTestId('bought')).toHaveText('2.0 kWh');
  await expect(b.getByTestId('available')).not.toHaveText(buyerCashBefore);
  await expect(a.getByTestId('sold')).toHaveText('2.0 kWh');
  await expect(a.getByTestId('net')).toContainText('+6.94 THB');
  await expect(a.getByTestId('open-order').filter({ hasText: '3.47' })).toHaveCount(0);
  await expect(a.getByTestId('toaster')).toContainText('Sold 2.0 kWh');
  await expect(b.getByTestId('toaster')).toContainText('Bought 2.0 kWh');
  expect(dropNextBook).toBe(false);

  // The next book message shows the seller a gap: the page refetches the book by itself.
  const snapshotsBefore = Number(await a.getByTestId('ladder').getAttribute('data-snapshots'));
  await placeOrder(a, 'sell', '3.61', '1.5');
  await expect(askRow(a, '3.61')).toContainText('1.5');
  await expect(askRow(a, '3.47')).toHaveCount(0);
  expect(Number(await a.getByTestId('ladder').getAttribute('data-snapshots'))).toBeGreaterThan(
    snapshotsBefore,
  );

  // Amend the new offer's price from the orders table, then cancel it.
  const order = a.getByTestId('open-order').filter({ hasText: '3.61' });
  await order.getByTestId('amend').click();
  await a.getByTestId('amend-price').fill('3.65');
  await a.getByRole('button', { name: 'Save' }).click();
  await expect(askRow(b, '3.65')).toContainText('1.5');
  await expect(askRow(b, '3.61')).toHaveCount(0);
  await a.getByTestId('open-order').filter({ hasText: '3.65' }).getByTestId('cancel').click();
  await expect(askRow(b, '3.65')).toHaveCount(0);
  await expect(askRow(a, '3.65')).toHaveCount(0);

  // The seller's connection drops and stays down while the buyer bids; once it comes back,
  // the seller's page rejoins and shows the bid without a reload.
  blocked = true;
  await (socket as WebSocketRoute | null)?.close();
  await expect(a.getByTestId('live-indicator')).toHaveAttribute('data-state', 'down');
  await placeOrder(b, 'buy', '3.21', '3');
  await expect(bidRow(b, '3.21')).toContainText('3.0');
  await expect(bidRow(a, '3.21')).toHaveCount(0);
  blocked = false;
  await expect(a.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', {
    timeout: 30_000,
  });
  await expect(bidRow(a, '3.21')).toContainText('3.0');

  await shoot(a, 'trade-seller');
  await shoot(b, 'trade-buyer');

  // The trade is in both wallets' settlement history, with a link to its chain transaction.
  await b.goto(`${baseUrl()}/wallet`);
  const row = b.getByTestId('history-row').filter({ hasText: '2.0 kWh @ 3.47' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Final', { timeout: 30_000 });
  await shoot(b, 'wallet');
  await row.getByRole('link', { name: 'Open the chain transaction' }).click();
  await expect(b.getByTestId('tx-verify')).not.toHaveAttribute('data-state', 'checking');
  await shoot(b, 'explorer-tx');

  await seller.close();
  await buyer.close();
});
