import { test, expect, hydrated, signInAsTaro } from "./taro";
import type { Page } from "@playwright/test";

/** The six-digit code in the newest mail to `to`. */
async function codeSentTo(page: Page, to: string): Promise<string> {
  const mails: { to: string; body: string; channel: string }[] = await (
    await page.request.get("/dev/outbox.json")
  ).json();
  const mail = mails.find((m) => m.to === to && m.channel === "email");
  expect(mail, `a mail to ${to}`).toBeTruthy();
  return /ワンタイムコード: (\d{6})/.exec(mail!.body)![1];
}

async function changeEmail(page: Page, to: string) {
  await page.getByLabel("新しいメールアドレス").fill(to);
  await page.getByRole("button", { name: "確認コードを送る", exact: true }).click();
  await expect(page).toHaveURL(/email_code_sent=1/);
  await hydrated(page);
  await page.locator('input[autocomplete="one-time-code"]').fill(await codeSentTo(page, to));
  await page.getByRole("button", { name: "メールアドレスを変更する" }).click();
  await expect(page).toHaveURL(/email_changed=1/);
  await expect(page.getByRole("main")).toContainText(to);
}

test("山田 太郎 moves house and changes his e-mail address with the code sent to it", async ({ page }) => {
  await signInAsTaro(page);
  await page.getByRole("navigation").getByRole("link", { name: /登録情報/ }).click();
  await expect(page).toHaveURL(/\/details$/);
  await hydrated(page);
  await expect(page.getByRole("main")).toContainText("ヤマダ タロウ");
  await expect(page.locator('input[autocomplete="postal-code"]')).toHaveValue("100-0001");

  // Seven digits fill prefecture, city and town from Japan Post's data.
  await page.locator('input[autocomplete="postal-code"]').fill("１５０－０００１");
  await expect(page.locator('select[autocomplete="address-level1"]')).toHaveValue("東京都");
  await expect(page.locator('input[autocomplete="address-level2"]')).toHaveValue("渋谷区");
  await expect(page.locator('input[autocomplete="address-line1"]')).toHaveValue("神宮前");
  await page.locator('input[autocomplete="address-line1"]').fill("神宮前2-3-4");
  await page.getByRole("button", { name: "住所を変更する" }).click();
  await expect(page).toHaveURL(/address_changed=1/);
  await expect(page.getByRole("status").first()).toContainText("住所を変更しました");
  const history = page.getByRole("region", { name: "変更履歴" });
  await expect(history).toContainText("〒100-0001 東京都千代田区千代田1-1");
  await expect(history).toContainText("〒150-0001 東京都渋谷区神宮前2-3-4");

  // A wrong city is named next to its field and what was typed stays.
  await hydrated(page);
  await page.locator('input[autocomplete="address-level2"]').fill("");
  await page.locator('input[autocomplete="address-line2"]').fill("サクラ館 201");
  await page.getByRole("button", { name: "住所を変更する" }).click();
  await expect(page.locator('input[autocomplete="address-level2"]')).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('input[autocomplete="address-line2"]')).toHaveValue("サクラ館 201");

  // The new address counts once its code is entered; then back, so later scenarios mail the old one.
  await page.goto("/details");
  await hydrated(page);
  await changeEmail(page, "taro.new@example.jp");
  await expect(history).toContainText("taro.yamada@example.jp");
  await changeEmail(page, "taro.yamada@example.jp");
});

test("a stale confirmation is given again on the details page itself", async ({ page }) => {
  await signInAsTaro(page);
  await page.request.post("/dev/clock", { form: { advance_secs: "360" } });
  await page.goto("/details");
  await hydrated(page);
  await expect(page.getByRole("button", { name: "住所を変更する" })).toHaveCount(0);
  await page.locator('input[autocomplete="current-password"]').fill("Portal2026demo");
  await page.getByRole("button", { name: "確認する", exact: true }).click();
  await expect(page).toHaveURL(/\/details\?confirmed=1/);
  await expect(page.getByRole("button", { name: "住所を変更する" })).toBeVisible();
});

test("what cannot change online says how to change it", async ({ page }) => {
  await signInAsTaro(page);
  await page.goto("/details");
  await page.getByRole("link", { name: "氏名・お支払い口座の変更について" }).click();
  await expect(page).toHaveURL(/\/details\/offline$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("オンラインで変更できない手続き");
  await expect(page.getByRole("link", { name: "0120-000-123" })).toBeVisible();
});
