import { test, expect, hydrated, signInAsTaro } from "./taro";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

function yen(text: string | null): number {
  return Number((text ?? "").replace(/[^\d-]/g, ""));
}

test("山田 太郎 filters by his wife's card, searches, notes a line and downloads the CSV", async ({ page }) => {
  await signInAsTaro(page);
  // The last statement became final when the portal started: the home screen says so.
  await expect(page.getByTestId("statement-notice").first()).toContainText("が確定しました");
  await page.getByRole("link", { name: "ご利用明細" }).click();
  await expect(page).toHaveURL(/\/activity$/);
  await hydrated(page);
  await expect(page.getByTestId("line").first()).toBeVisible();

  // His wife's card: only her lines, and her subtotal is the total shown.
  await page.getByLabel("カード", { exact: true }).selectOption("90013");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/card=90013/);
  const [herCsv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /CSVをダウンロード/ }).click(),
  ]);
  expect(herCsv.suggestedFilename()).toBe("activity-90013.csv");
  await expect(page.getByTestId("line").first()).toContainText("山田 花子");
  const holders = await page.getByTestId("line").locator(".holder").allInnerTexts();
  expect(holders.every((h) => h.includes("山田 花子"))).toBeTruthy();
  const total = yen(await page.getByTestId("activity-total").textContent());
  const hers = yen(await page.locator('[data-testid="holder-subtotal"][data-card="90013"] td').textContent());
  expect(total).toBeGreaterThan(0);
  expect(hers).toBe(total);
  expect(yen(await page.locator('[data-testid="holder-subtotal"][data-card="90005"] td').textContent())).toBe(0);

  // The filter lives in the URL: back returns to every card.
  await page.goBack();
  await expect(page).not.toHaveURL(/card=/);
  await expect(page.getByTestId("holder-subtotal").first()).not.toContainText("¥0");

  // A merchant typed in half-width katakana.
  await page.getByLabel("利用店名・メモ").fill("ｾﾌﾞﾝ");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId("line").first()).toContainText("セブン-イレブン");
  const merchants = await page.getByTestId("line").locator(".merchant").allInnerTexts();
  expect(merchants.every((m) => m === "セブン-イレブン")).toBeTruthy();

  // A category and a memo, kept after a reload.
  const first = page.getByTestId("line").first();
  await first.getByRole("button", { name: "カテゴリー・メモを編集" }).click();
  await first.getByLabel("カテゴリー").selectOption("travel");
  await first.getByLabel(/メモ/).fill("出張の朝食 <b>");
  await first.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("line-memo").first()).toHaveText("出張の朝食 <b>");
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("line-memo").first()).toHaveText("出張の朝食 <b>");
  await expect(page.getByTestId("line-category").first()).toHaveText("旅行");

  // The CSV of what is shown.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /CSVをダウンロード/ }).click(),
  ]);
  expect(download.suggestedFilename(), "a search alone names no period or card").toBe("activity.csv");
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.subarray(3).toString("utf8");
  const rows = csv.split("\r\n").filter((r) => r.length > 0);
  expect(rows[0]).toContain("利用日 / Date used");
  const shown = Number(await page.getByTestId("activity-count").getAttribute("data-count"));
  expect(rows.length - 1, "one row per line of the filter").toBe(shown);
  expect(rows.slice(1).every((r) => r.includes("セブン-イレブン"))).toBeTruthy();
  expect(csv).toContain("出張の朝食 <b>");
  expect(csv).not.toContain("371234567890005");

  // The PDF statement of the last closed period, read back with poppler's pdftotext.
  await page.goto("/activity");
  await hydrated(page);
  await page.getByLabel("お支払い期間（締め日）").selectOption({ index: 2 });
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/period=\d{4}-\d{2}-\d{2}/);
  const [pdf] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /PDFのご利用代金明細書/ }).click(),
  ]);
  const text = execFileSync("pdftotext", ["-raw", (await pdf.path())!, "-"]).toString("utf8");
  expect(text).toContain("ご利用代金明細書");
  expect(text).toContain("山田 太郎 様");
  expect(text).toMatch(/山田 花子（家族カード） •••• 90013 \d+件 ¥[\d,]+/);
  expect(text).toMatch(/1 \/ \d+/);
  expect(text).not.toContain("371234567890");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("activity fits the screen", async ({ page }) => {
    await signInAsTaro(page);
    await page.goto("/activity");
    await hydrated(page);
    await expect(page.getByTestId("line").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "nothing wider than the phone").toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/phone-activity.png", fullPage: false });
  });

  test("the lines come first and the filter folds under 絞り込み, open and named when applied", async ({ page }) => {
    await signInAsTaro(page);
    await page.goto("/activity");
    await hydrated(page);
    const firstLine = await page.getByTestId("line").first().boundingBox();
    expect(firstLine!.y, "a line on the first screen").toBeLessThan(740 - 120);
    await expect(page.getByTestId("activity-total")).toBeInViewport();
    const filter = page.locator("details.filters");
    await expect(filter).not.toHaveAttribute("open");
    await expect(page.getByLabel("利用店名・メモ")).toBeHidden();
    await filter.locator("summary").click();
    await page.getByLabel("カード", { exact: true }).selectOption("90013");
    await page.getByRole("button", { name: "絞り込む" }).click();
    await expect(page).toHaveURL(/card=90013/);
    await expect(filter).toHaveAttribute("open");
    await expect(filter.locator("summary")).toContainText("•••• 90013");
    await expect(page.getByTestId("line").first()).toContainText("山田 花子");
  });
});

test("on a desktop the filter stays in view", async ({ page }) => {
  await signInAsTaro(page);
  await page.goto("/activity");
  await hydrated(page);
  await expect(page.getByLabel("利用店名・メモ")).toBeVisible();
  await expect(page.locator("details.filters")).toHaveAttribute("open");
});
