// Signing up, out and in through the real forms, with the engine's refusals shown as sentences.
import { expect, test } from '@playwright/test';
import { baseUrl, shoot, useLanguage } from '../support/app.ts';

test('a new trader signs up, signs out, and signs in again', async ({ page }) => {
  await useLanguage(page, 'en');
  const email = `e2e-${Date.now()}@gridtokenx.test`;
  await page.goto(`${baseUrl()}/signup`);
  await page.getByLabel('Name').fill('Test Prosumer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Repeat password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('auth-error')).toHaveText(
    'The password needs at least 10 characters.',
  );
  await page.getByLabel('Password', { exact: true }).fill('a-good-password-1');
  await page.getByLabel('Repeat password').fill('a-good-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();

  // A new account lands on its wallet, signed in, with its account id to give the admin.
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByTestId('account')).toContainText('Test Prosumer');
  await expect(page.getByTestId('account-id')).toHaveText(/^[0-9a-f-]{36}$/);
  await shoot(page, 'signup-wallet');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();

  // The same email cannot register twice; a wrong password is refused in a sentence.
  await page.goto(`${baseUrl()}/signup`);
  await page.getByLabel('Name').fill('Someone else');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('another-password-2');
  await page.getByLabel('Repeat password').fill('another-password-2');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('auth-error')).toHaveText(
    'An account with this email already exists. Sign in instead.',
  );

  await page.goto(`${baseUrl()}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByTestId('auth-error')).toHaveText('The email or password is wrong.');
  await shoot(page, 'signin-error', false);

  await page.getByLabel('Password').fill('a-good-password-1');
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL(/\/trade/);
  await expect(page.getByTestId('account')).toContainText('Test Prosumer');
});
