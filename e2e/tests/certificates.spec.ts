// Renewable energy certificates end to end, on a system of its own running simulated time (60×):
// an admin registers a solar meter for a trader, the meter's signed reading of 1 MWh for one
// quarter hour is minted on chain, the owner requests a REC in the wallet, an admin approves it
// in the issuance queue, and the owner sees it issued and retires it for a beneficiary — which
// the public registry then shows.
import { createPrivateKey, sign } from 'node:crypto';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { apiSignIn, mutate, query, shoot, signIn, useLanguage } from '../support/app.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';

const QUARTER = 15 * 60_000;
/** 09:00 ICT on 1 December 2026: solar hours. */
const CLOCK_START = '2026-12-01T02:00:00Z';
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The meter's signature over its canonical reading (GTX-METER-READING-V1). */
function signReading(secretHex: string, fields: (string | number)[]): string {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, Buffer.from(secretHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const bytes = Buffer.from(['GTX-METER-READING-V1', ...fields.map(String)].join('|'), 'utf8');
  return sign(null, bytes, key).toString('hex');
}

/** `datetime-local` text of an instant in Bangkok time. */
const ictInput = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);

let system: RunningSystem;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  system = await startSystem({ CLOCK: 'sim', CLOCK_SPEED: '60', CLOCK_START });
});

test.afterAll(async () => {
  await system?.stop();
});

test('an admin approves a REC request; the owner sees the REC and retires it for a beneficiary', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const base = system.baseUrl;
  const admin = await playwrightRequest.newContext();
  await apiSignIn(admin, 'admin', base);
  const engineNow = async () =>
    Date.parse((await query<{ now: string }>(admin, 'market.intervals', undefined, base)).now);

  // The prerequisite through the real procedures: a 8 MW solar meter for the demo trader …
  const [owner] = await query<{ id: string }[]>(
    admin,
    'admin.accounts',
    { search: 'trader@gridtokenx.local', limit: 1 },
    base,
  );
  expect(owner).toBeDefined();
  const meter = await mutate<{ meterId: string; secretKey: string; chainId: string }>(
    admin,
    'meter.register',
    {
      ownerId: owner!.id,
      zone: 'MEA-BKK',
      kind: 'SOLAR',
      capacityW: 8_000_000,
      label: 'Bang Na rooftop',
    },
    base,
  );
  // … and its signed reading of 1 MWh for the next quarter hour, sent once it has ended.
  const start = Math.ceil((await engineNow()) / QUARTER) * QUARTER;
  await expect
    .poll(engineNow, { timeout: 60_000, intervals: [500] })
    .toBeGreaterThan(start + QUARTER + 30_000);
  await mutate(
    admin,
    'meter.submitReading',
    {
      meterId: meter.meterId,
      intervalStart: new Date(start).toISOString(),
      injectedWh: 1_000_000,
      withdrawnWh: 0,
      signature: signReading(meter.secretKey, [meter.chainId, meter.meterId, start, 1_000_000, 0]),
    },
    base,
  );
  // The metering window closes 10 minutes after the interval: then the engine mints it on chain.
  await expect
    .poll(
      async () => {
        const r = await query<{ readings: { mintTxHash: string | null }[] }>(
          admin,
          'meter.readings',
          { meterId: meter.meterId, limit: 5 },
          base,
        );
        return r.readings[0]?.mintTxHash ?? null;
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .not.toBeNull();

  // The owner requests one REC for that quarter hour in the wallet.
  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  await useLanguage(page, 'en', base);
  await signIn(page, 'trader', base);
  await page.goto(`${base}/wallet`);
  const request = page.getByTestId('rec-request');
  await expect(request.getByTestId('rec-meter')).toHaveValue(meter.meterId);
  await request.getByTestId('rec-from').fill(ictInput(start));
  await request.getByTestId('rec-until').fill(ictInput(start + QUARTER));
  await request.getByTestId('rec-mwh').fill('1');
  await request.getByTestId('rec-request-submit').click();
  const row = page.getByTestId('my-recs').getByTestId('rec-row').first();
  await expect(row.getByTestId('rec-status')).toHaveAttribute('data-status', 'REQUESTED');
  const recId = await row.getAttribute('data-rec');
  expect(recId).toBeTruthy();

  // An admin approves it in the issuance queue.
  const adminContext = await browser.newContext();
  const desk = await adminContext.newPage();
  await useLanguage(desk, 'en', base);
  await signIn(desk, 'admin', base);
  await desk.goto(`${base}/admin/recs`);
  const queued = desk.locator(`[data-testid="rec-request-row"][data-rec="${recId}"]`);
  await expect(queued).toContainText(meter.meterId);
  await expect(queued).toContainText('trader@gridtokenx.local');
  await expect(queued).toContainText('1.0 MWh');
  await shoot(desk, 'admin-rec-queue');
  await queued.getByTestId('rec-approve').click();
  await expect(queued).toHaveCount(0);

  // The owner sees it issued (live, without a reload) and retires it for a beneficiary.
  const mine = page.locator(`[data-testid="rec-row"][data-rec="${recId}"]`);
  await expect(mine.getByTestId('rec-status')).toHaveAttribute('data-status', 'ISSUED', {
    timeout: 30_000,
  });
  await expect(mine.getByTestId('rec-status')).toHaveText('Issued');
  await shoot(page, 'wallet-recs');
  await mine.getByTestId('rec-retire').click();
  const dialog = page.getByTestId('rec-dialog');
  await dialog.getByTestId('rec-beneficiary-input').fill('Siam Riverside Hotel Co., Ltd.');
  await dialog.getByTestId('rec-period-input').fill('2026');
  await dialog.getByTestId('rec-confirm').click();
  await expect(mine.getByTestId('rec-status')).toHaveAttribute('data-status', 'RETIRED', {
    timeout: 30_000,
  });
  await expect(mine.getByTestId('rec-beneficiary')).toHaveText(
    'For Siam Riverside Hotel Co., Ltd., 2026',
  );
  await expect(page.getByTestId('carbon-total')).not.toHaveText('0.0 kgCO₂e');

  // The public registry shows the retirement.
  await desk.goto(`${base}/recs`);
  const listed = desk.locator(`[data-testid="registry-row"][data-rec="${recId}"]`);
  await expect(listed).toContainText('Retired');
  await expect(listed).toContainText('Siam Riverside Hotel');
  await shoot(desk, 'rec-registry');
  await ownerContext.close();
  await adminContext.close();
  await admin.dispose();
});
