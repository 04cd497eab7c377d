import { type Page } from "@playwright/test";
import { test, expect, hydrated } from "./taro";

// The sign-in and a first look at the activity with the keyboard alone: Tab to each control, type,
// Enter. Runs after accessibility.spec.ts and before security.spec.ts changes the demo password.

async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (await page.locator(selector).evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test("山田 太郎 signs in and opens his activity with the keyboard alone", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await tabTo(page, 'input[autocomplete~="username"]');
  await page.keyboard.type("demotaro");
  await tabTo(page, 'input[autocomplete="current-password"]');
  await page.keyboard.type("Portal2026demo");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/home$/);
  await hydrated(page);
  await tabTo(page, 'a[href="/activity"]');
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/activity/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ご利用明細");
});

test("a refused sign-in takes the keyboard to the notice", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await tabTo(page, 'input[autocomplete~="username"]');
  await page.keyboard.type("nobody-here-1");
  await tabTo(page, 'input[autocomplete="current-password"]');
  await page.keyboard.type("Wrong-password-1");
  await page.keyboard.press("Enter");
  const notice = page.locator(".form-notice");
  await expect(notice).toContainText("ユーザーIDまたはパスワードが正しくありません");
  await expect(notice).toBeFocused();
});

test("a registration with a field wrong takes the keyboard to that field", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await tabTo(page, 'input[autocomplete="cc-number"]');
  await page.keyboard.type("1234");
  await page.keyboard.press("Enter");
  await expect(page.locator('input[autocomplete="cc-number"]')).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('input[autocomplete="cc-number"]')).toBeFocused();
});
