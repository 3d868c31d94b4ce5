// The system status page shows the engine's health through /trpc and heartbeats through
// /socket.io, both via the web server's single origin; every page shows the live-link state.
import { expect, test } from '@playwright/test';
import { baseUrl, shoot, useLanguage } from '../support/app.ts';

test('status page shows the engine status live, and the header shows the live link', async ({
  page,
}) => {
  await useLanguage(page, 'en');
  const socketRequests: string[] = [];
  page.on('websocket', (ws) => socketRequests.push(ws.url()));
  await page.goto(baseUrl());
  await expect(page.getByRole('heading', { level: 1, name: 'Markets' })).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');

  await page.getByRole('link', { name: 'System status' }).click();
  await expect(page.getByTestId('engine-overall')).toHaveText('Operational');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live');
  // Without DATABASE_URL the suite's database is an embedded PGlite served over the Postgres
  // protocol, which the engine reaches by URL like any PostgreSQL server.
  await expect(page.getByTestId('db-kind')).toHaveText(/^(PostgreSQL|Embedded PGlite) — reachable/);
  await expect(page.getByTestId('migrations')).toContainText('up to date');

  // Heartbeats keep arriving: the sequence number advances without a reload.
  const heartbeat = page.getByTestId('heartbeat');
  await expect(heartbeat).not.toHaveAttribute('data-seq', '');
  const first = Number(await heartbeat.getAttribute('data-seq'));
  await expect
    .poll(async () => Number(await heartbeat.getAttribute('data-seq')), { timeout: 10_000 })
    .toBeGreaterThanOrEqual(first + 2);
  await expect(heartbeat).toContainText('ICT');

  // The stream rode a WebSocket through the web server's origin, not straight to the engine.
  expect(
    socketRequests.some((u) => u.startsWith(baseUrl().replace('http', 'ws') + '/socket.io/')),
  ).toBe(true);

  await shoot(page, 'status');
});

test('status page says the engine is unreachable when its API fails', async ({ page }) => {
  await useLanguage(page, 'en');
  await page.route('**/trpc/**', (route) =>
    route.fulfill({
      status: 502,
      contentType: 'application/json',
      body: '{"error":{"code":"ENGINE_UNREACHABLE"}}',
    }),
  );
  await page.goto(`${baseUrl()}/status`);
  await expect(page.getByTestId('engine-overall')).toHaveText('Unreachable');
  await expect(page.getByRole('alert').filter({ hasText: 'Health check failed' })).toContainText(
    'The exchange did not answer',
  );
});
