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
