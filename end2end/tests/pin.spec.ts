import { test, expect, hydrated, signInAsTaro } from "./taro";
import type { Page } from "@playwright/test";

async function codeSentTo(page: Page, to: string): Promise<string> {
  const mails: { to: string; body: string }[] = await (await page.request.get("/dev/outbox.json")).json();
  const mail = mails.find((m) => m.to === to && /ワンタイムコード/.test(m.body));
  return /ワンタイムコード: (\d{6})/.exec(mail!.body)![1];
}

test("山田 太郎 registers his card's PIN once and sees it cannot be registered again", async ({ page }) => {
  await signInAsTaro(page);
  await page.getByRole("navigation").getByRole("link", { name: /暗証番号/ }).click();
  await expect(page).toHaveURL(/\/pin$/);
  await hydrated(page);
  const his = page.locator('[data-testid="pin-card"][data-card="90005"]');
  await expect(his).toContainText("未登録");
  await expect(page.getByLabel("カード", { exact: true })).toHaveValue("90005");

  const codes = page.locator('input[autocomplete="cc-csc"]');
  await expect(codes.nth(0)).toHaveAccessibleName("カード表面の4桁のコード");
  await codes.nth(0).fill("1234");
  await codes.nth(1).fill("567");
  await page.getByRole("button", { name: "確認コードを送る" }).click();
  await expect(page).toHaveURL(/code_sent=1/);
  await hydrated(page);
  await page.locator('input[autocomplete="one-time-code"]').fill(await codeSentTo(page, "taro.yamada@example.jp"));
  await page.getByRole("button", { name: "確認する", exact: true }).click();
  await expect(page).toHaveURL(/verified=1/);
  await hydrated(page);

  await expect(page.getByRole("note")).toContainText("変更できません");
  await page.getByLabel("暗証番号（4桁の数字）").fill("1234");
  await page.getByLabel("暗証番号（確認のためもう一度）").fill("1234");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByLabel("暗証番号（4桁の数字）")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("暗証番号（4桁の数字）").fill("2580");
  await page.getByLabel("暗証番号（確認のためもう一度）").fill("2580");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/registered=1/);
  await expect(page.getByRole("status").first()).toContainText("登録しました");
  await expect(his).toContainText("登録済み");
  // Only 花子's card is left to register.
  await expect(page.getByLabel("カード", { exact: true }).locator("option")).toHaveCount(1);
  await expect(page.getByLabel("カード", { exact: true })).toHaveValue("90013");
});

test("a forgotten PIN is shown on screen after the checks", async ({ page }) => {
  await signInAsTaro(page);
  await page.goto("/pin");
  await hydrated(page);
  await page.getByRole("link", { name: "暗証番号をお忘れの方" }).click();
  await expect(page).toHaveURL(/forgot=1/);
  await expect(page.getByRole("heading", { name: "暗証番号の確認" })).toBeVisible();
  await expect(page.getByLabel("カード", { exact: true })).toHaveValue("90005");
  const codes = page.locator('input[autocomplete="cc-csc"]');
  await codes.nth(0).fill("1234");
  await codes.nth(1).fill("567");
  await page.getByRole("button", { name: "確認コードを送る" }).click();
  await expect(page).toHaveURL(/code_sent=1/);
  await hydrated(page);
  await page.locator('input[autocomplete="one-time-code"]').fill(await codeSentTo(page, "taro.yamada@example.jp"));
  await page.getByRole("button", { name: "暗証番号を表示する" }).click();
  await expect(page.getByTestId("pin-shown")).toHaveText("2580");
});
