import { test, expect, hydrated, signInAsTaro } from "./taro";

// The idle warning is a real modal dialog: it takes the focus, nothing behind it can be reached,
// and closing it gives the focus back to where it was. The browser's timers run on a fake clock.

test("the idle warning holds the focus until it is answered, then gives it back", async ({ page }) => {
  await page.clock.install();
  await signInAsTaro(page);
  await hydrated(page);
  const activity = page.getByRole("link", { name: "ご利用明細" });
  await activity.focus();
  await page.clock.fastForward("13:30");
  const dialog = page.getByRole("dialog", { name: "まもなく自動的にログアウトします" });
  await expect(dialog).toBeVisible();
  const stay = dialog.getByRole("button", { name: "ログインを続ける" });
  await expect(stay).toBeFocused();
  // Behind a modal dialog the page is inert: its links cannot take the focus.
  await activity.evaluate((a: HTMLElement) => a.focus());
  await expect(activity).not.toBeFocused();
  await page.keyboard.press("Tab");
  expect(await dialog.evaluate((d) => d.contains(document.activeElement) || document.activeElement === document.body)).toBeTruthy();
  await stay.focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(activity).toBeFocused();
  await expect(page).toHaveURL(/\/home$/);
});
