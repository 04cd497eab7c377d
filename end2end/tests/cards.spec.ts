import { test, expect, hydrated, signInAsTaro } from "./taro";

test("山田 太郎 freezes 花子's card and unfreezes it", async ({ page }) => {
  await signInAsTaro(page);
  await page.getByRole("navigation").getByRole("link", { name: /一時停止/ }).click();
  await expect(page).toHaveURL(/\/cards$/);
  await hydrated(page);
  const hers = page.locator('[data-testid="freeze-card"][data-card="90013"]');
  await hers.getByRole("button", { name: "一時停止" }).click();
  await expect(page).toHaveURL(/frozen=1/);
  await expect(hers).toContainText("停止中");
  await expect(page.getByRole("status")).toContainText("一時停止しました");

  await page.goto("/home");
  await hydrated(page);
  await expect(page.getByTestId("card").nth(1).getByTestId("card-frozen")).toHaveText("停止中");
  await expect(page.getByTestId("card").first().getByTestId("card-frozen")).toHaveCount(0);

  await page.goto("/cards");
  await hydrated(page);
  await hers.getByRole("button", { name: "解除" }).click();
  await expect(page).toHaveURL(/unfrozen=1/);
  await expect(hers).toContainText("ご利用可能");
  await expect(hers.getByRole("button", { name: "一時停止" })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the bottom bar's メニュー leads to every section", async ({ page }) => {
    await signInAsTaro(page);
    await page.getByRole("link", { name: "メニュー" }).click();
    await expect(page).toHaveURL(/\/menu$/);
    await expect(page.getByRole("main").getByRole("link", { name: "カードの一時停止" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "セキュリティ設定" })).toBeVisible();
  });
});
