import { type Page, type CDPSession } from "@playwright/test";
import { test, expect } from "./taro";

// Runs after portal.spec.ts (files run in name order on one worker): it changes 山田 太郎's password.

const TARO = "demotaro";
const DEMO_PASSWORD = "Portal2026demo";
const NEW_PASSWORD = "Kyoto-Autumn-Leaves-2026";

async function hydrated(page: Page) {
  await page.waitForSelector("body[data-hydrated]");
}

/// A platform authenticator with fingerprint-style user verification, as Chromium's DevTools
/// protocol provides it: passkeys it makes stay on it for the rest of the test. While `present`,
/// it answers at once, autofill requests included (a member picking the suggested passkey).
async function virtualAuthenticator(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    present: (enabled: boolean) =>
      cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled }),
  };
}

async function signInWithPassword(page: Page, password: string) {
  await page.locator('input[autocomplete~="username"]').fill(TARO);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "ログアウト" }).click();
  await page.waitForURL(/signed_out=1/);
  await hydrated(page);
}

test("山田 太郎 signs in with a passkey, past a locked password, until he removes it", async ({ page }) => {
  const authenticator = await virtualAuthenticator(page);
  await page.goto("/");
  await hydrated(page);
  await signInWithPassword(page, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/home$/);

  // Offered once after a password sign-in on a device that can make passkeys.
  await expect(page.getByRole("heading", { name: "次回から生体認証でログイン" })).toBeVisible();
  await page.getByRole("link", { name: "設定する" }).click();
  await expect(page).toHaveURL(/\/security$/);
  await hydrated(page);
  await page.getByLabel("パスキーの名前").fill("テスト端末");
  await page.getByRole("button", { name: "パスキーを追加する" }).click();
  const passkeys = page.getByTestId("passkey");
  await expect(passkeys).toHaveCount(1);
  await expect(passkeys.first()).toContainText("テスト端末");
  await expect(passkeys.first()).toContainText("まだ使われていません");
  const mails = await (await page.request.get("/dev/outbox.json")).json();
  expect(mails[0].subject).toContain("A passkey was added");

  // Without typing anything: the user-ID field offers the passkey, the member picks it.
  await signOut(page);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("山田 太郎");
  await expect(page.getByRole("heading", { name: "次回から生体認証でログイン" })).toBeHidden();

  // Three wrong passwords lock the password, not the passkey.
  await authenticator.present(false);
  await signOut(page);
  for (const [attempt, left] of [["wrong-password-1", "あと2回"], ["wrong-password-2", "あと1回"]]) {
    await signInWithPassword(page, attempt);
    await expect(page.getByRole("alert")).toContainText(left);
  }
  await signInWithPassword(page, "wrong-password-3");
  await expect(page.getByText("アカウントがロックされています")).toBeVisible();
  // The member presses the passkey button; the autofill request still pending may answer first,
  // which lands in the same place.
  await authenticator.present(true);
  await page
    .getByRole("button", { name: "生体認証（パスキー）でログイン" })
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await expect(page).toHaveURL(/\/security$/);
  await hydrated(page);
  await expect(page.getByText("パスワードがロックされています")).toBeVisible();
  // The passkey session alone cannot leave the lock: a code by e-mail first.
  await expect(page.getByRole("link", { name: "新しいパスワードを設定する" })).toHaveCount(0);
  await page.getByRole("button", { name: "ワンタイムコードを送信" }).click();
  await expect(page.getByText("にコードを送りました。")).toBeVisible();
  const codeMail = (await (await page.request.get("/dev/outbox.json")).json())[0];
  const code = /ワンタイムコード: (\d{6})/.exec(codeMail.body)![1];
  await page.getByLabel("ワンタイムコード").fill(code);
  await page.getByRole("button", { name: "コードで確認する" }).click();
  await expect(page).toHaveURL(/confirmed=1/);
  await hydrated(page);
  await page.getByRole("link", { name: "新しいパスワードを設定する" }).click();
  await expect(page).toHaveURL(/\/security\/password$/);
  await hydrated(page);
  await page.locator('input[name="password"]').fill(NEW_PASSWORD);
  await page.locator('input[name="password_confirm"]').fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "設定する" }).click();
  await expect(page).toHaveURL(/password_changed=1/);
  await expect(page.getByText("パスワードを変更しました。ロックは解除されています。")).toBeVisible();
  await hydrated(page);

  // Still within the code's confirmation: the passkey can be removed.
  await expect(page.getByRole("button", { name: "削除" })).toBeVisible();
  await page.getByRole("button", { name: "削除" }).click();
  await expect(page).toHaveURL(/removed=1/);
  await expect(page.getByText("登録されているパスキーはありません。")).toBeVisible();

  // The authenticator still offers it; the portal no longer accepts it.
  await signOut(page);
  await expect(page.getByRole("alert").filter({ hasText: "このパスキーは登録されていません" })).toBeVisible();
  await page.getByRole("button", { name: "生体認証（パスキー）でログイン" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "このパスキーは登録されていません" })).toBeVisible();
  await expect(page).not.toHaveURL(/\/home/);

  await signInWithPassword(page, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/home$/);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("the passkey button sits under the sign-in form and nothing overflows", async ({ page }) => {
    await virtualAuthenticator(page);
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByRole("button", { name: "生体認証（パスキー）でログイン" })).toBeVisible();
    await expect(page.locator('input[autocomplete="username webauthn"]')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/phone-passkey-sign-in.png", fullPage: true });
  });
});
