import { test as base, expect, type Page } from "@playwright/test";

/** Playwright's test, failing any test whose pages had a script or style refused by their
 *  Content Security Policy. */
export const test = base.extend<{ policyWatch: void }>({
  policyWatch: [
    async ({ page }, use) => {
      const refused: string[] = [];
      page.on("console", (message) => {
        if (message.text().includes("Content Security Policy")) refused.push(message.text());
      });
      await use();
      expect(refused, "nothing refused by the page's policy").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Waits until the page is interactive (the app marks the body once hydrated). */
export async function hydrated(page: Page) {
  await page.waitForSelector("body[data-hydrated]");
}

/** Signs in as the demo member 山田 太郎 with his password and lands on home. */
export async function signInAsTaro(page: Page) {
  await page.goto("/");
  await hydrated(page);
  await page.locator('input[autocomplete~="username"]').fill("demotaro");
  await page.locator('input[autocomplete="current-password"]').fill("Portal2026demo");
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
  await expect(page).toHaveURL(/\/home$/);
}
