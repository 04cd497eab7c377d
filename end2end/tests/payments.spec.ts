import { test, expect, hydrated, signInAsTaro } from "./taro";

test("山田 太郎 moves a charge to あとリボ, splits another into 6 payments and checks his spending power", async ({ page }) => {
  await signInAsTaro(page);
  await page.getByRole("link", { name: "お支払い", exact: true }).click();
  await expect(page).toHaveURL(/\/payments$/);
  await hydrated(page);
  await expect(page.getByTestId("due").first()).toBeVisible();
  const charges = page.getByTestId("charge");
  await expect(charges.first()).toBeVisible();
  const preview = page.getByTestId("plan-preview");

  // あとリボ: the fee and the changed payments are shown before anything is changed.
  await page.getByLabel("あとリボ（リボ払い）").check();
  await charges.first().locator("input").check();
  await page.getByLabel("毎月のお支払い額（コース）").selectOption("10000");
  await page.getByRole("button", { name: "手数料とお支払い予定を確認" }).click();
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId("plan-fee")).toContainText("¥");
  await expect(preview.getByTestId("change").first()).toBeVisible();
  await expect(page.getByTestId("plan")).toHaveCount(0);
  await preview.getByRole("button", { name: "この内容で変更する" }).click();
  await expect(page.getByTestId("payments-done")).toContainText("あとリボに変更しました");
  await expect(page.locator('[data-testid="plan"][data-kind="revolving"]')).toHaveCount(1);
  await expect(page.getByTestId("due").filter({ hasText: "あとリボ（元金）" }).first()).toBeVisible();

  // 分割: another charge into 6 payments, each shown, then six instalments in the schedule.
  await page.getByLabel("分割払い", { exact: true }).check();
  await page.getByTestId("charge").first().locator("input").check();
  await page.getByLabel("お支払い回数").selectOption("6");
  await page.getByRole("button", { name: "手数料とお支払い予定を確認" }).click();
  await expect(preview.getByTestId("change")).toHaveCount(6);
  await expect(preview.getByTestId("plan-fee")).toContainText("¥");
  await preview.getByRole("button", { name: "この内容で変更する" }).click();
  await expect(page.getByTestId("payments-done")).toContainText("6回払いに変更しました");
  await expect(page.locator('[data-testid="plan"][data-kind="instalments"]')).toHaveCount(1);
  await expect(page.getByTestId("due").filter({ hasText: "分割払い（元金）" })).toHaveCount(6);

  // Spending power: yes or no, never the line itself.
  await page.getByLabel("ご利用予定金額（円）").fill("300000");
  await page.getByRole("button", { name: "確認する" }).click();
  const answer = page.getByTestId("spending-answer");
  await expect(answer).toHaveAttribute("data-approved", "true");
  await expect(answer).toContainText("¥300,000のご利用は、現時点で承認される見込みです。");
});

test("山田 太郎 links his ANA number and transfers 1,000 points, which the partner confirms", async ({ page }) => {
  await signInAsTaro(page);
  await page.getByRole("link", { name: "ポイント", exact: true }).click();
  await expect(page).toHaveURL(/\/points$/);
  await hydrated(page);
  const balance = page.getByTestId("points-balance");
  await expect(balance).toBeVisible();

  const ana = page.locator('[data-testid="partner"][data-partner="ana"]');
  await ana.getByLabel("ANAマイレージクラブの会員番号（10桁）").fill("12345");
  await ana.getByRole("button", { name: "登録する" }).click();
  await expect(ana.getByRole("alert").last()).toContainText("10桁");
  await ana.getByLabel("ANAマイレージクラブの会員番号（10桁）").fill("1234567890");
  await ana.getByRole("button", { name: "登録する" }).click();
  await expect(ana.getByTestId("partner-number")).toHaveText("******7890");

  const before = Number(await balance.getAttribute("data-points"));
  await ana.getByLabel("移行するポイント").fill("1000");
  await ana.getByRole("button", { name: "ANAマイレージクラブへ移行する" }).click();
  await expect(page.getByTestId("points-done")).toContainText("ポイント移行を申し込みました");
  await expect(balance).toHaveAttribute("data-points", String(before - 1000));
  const transfer = page.getByTestId("transfer").first();
  await expect(transfer).toContainText("ANAマイレージクラブへ移行 1,000マイル");
  // The demo partner confirms after a few seconds; the page looks again by itself.
  await expect(transfer).toHaveAttribute("data-status", "completed", { timeout: 30_000 });
  await expect(transfer.getByTestId("transfer-status")).toHaveText("完了");
  await expect(balance).toHaveAttribute("data-points", String(before - 1000));
});
