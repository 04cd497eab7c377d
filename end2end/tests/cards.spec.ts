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

test("鈴木 美咲 adds the card of her second account", async ({ page }) => {
  const fillCard = async (number: string, front: string, birth: string) => {
    await page.locator('input[autocomplete="cc-number"]').fill(number);
    await page.locator('input[autocomplete="cc-csc"]').fill(front);
    await page.locator('input[autocomplete="bday"]').fill(birth);
  };
  await page.goto("/register");
  await hydrated(page);
  await fillCard("371234567890039", "2468", "1978-02-28");
  await page.getByRole("button", { name: "次へ" }).click();
  await expect(page).toHaveURL(/\/register\/account$/);
  await hydrated(page);
  await page.locator('input[autocomplete~="username"]').fill("misaki78");
  await page.locator('input[name="password"]').fill("Umeda-Tower-1203");
  await page.locator('input[name="password_confirm"]').fill("Umeda-Tower-1203");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/\/home/);
  await expect(page.getByTestId("card")).toHaveCount(1);

  await page.goto("/cards");
  await hydrated(page);
  await expect(page.locator('[data-testid="freeze-card"]')).toHaveCount(1);
  await fillCard("371234567890062", "0000", "1978-02-28");
  await page.getByRole("button", { name: "カードを追加する" }).click();
  await expect(page.getByRole("region", { name: "ほかのカードを追加" }).getByRole("alert")).toContainText("一致するカードが見つかりません");
  await fillCard("371234567890062", "8642", "1978-02-28");
  await page.getByRole("button", { name: "カードを追加する" }).click();
  await expect(page).toHaveURL(/added=1/);
  await expect(page.locator('[data-testid="freeze-card"][data-card="90062"]')).toBeVisible();
  await expect(page.locator("body")).not.toContainText("371234567890062");

  await page.goto("/home");
  await hydrated(page);
  await expect(page.getByTestId("card")).toHaveCount(2);
  await expect(page.getByTestId("account")).toHaveCount(2);
  await expect(page.getByRole("heading", { name: "プラチナ・カード" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "ゴールド・カード" })).toBeVisible();

  // Points switch between her accounts; the URL names the one shown.
  await page.goto("/points");
  await hydrated(page);
  const switcher = page.getByRole("navigation", { name: "口座の切り替え" });
  await expect(switcher.getByRole("link", { name: /プラチナ・カード/ })).toHaveAttribute("aria-current", "page");
  const platinum = await page.getByTestId("points-balance").textContent();
  await switcher.getByRole("link", { name: /ゴールド・カード/ }).click();
  await expect(page).toHaveURL(/\/points\?account=\d+$/);
  await expect(switcher.getByRole("link", { name: /ゴールド・カード/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("points-balance")).not.toHaveText(platinum ?? "");

  await page.goto("/activity");
  await hydrated(page);
  await page.getByRole("navigation", { name: "口座の切り替え" }).getByRole("link", { name: /ゴールド・カード/ }).click();
  await expect(page.locator("#card option")).toHaveText(["すべてのカード", /90062/]);
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

test("John Smith applies for a family card; once issued, its holder registers with it", async ({ page }) => {
  test.setTimeout(120_000);
  const register = async (number: string, front: string, birth: string, userId: string, password: string) => {
    await page.goto("/register");
    await hydrated(page);
    await page.locator('input[autocomplete="cc-number"]').fill(number);
    await page.locator('input[autocomplete="cc-csc"]').fill(front);
    await page.locator('input[autocomplete="bday"]').fill(birth);
    await page.getByRole("button", { name: "次へ" }).click();
    await expect(page).toHaveURL(/\/register\/account$/);
    await hydrated(page);
    await page.locator('input[autocomplete~="username"]').fill(userId);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('input[name="password_confirm"]').fill(password);
    await page.getByRole("button", { name: "登録する" }).click();
    await expect(page).toHaveURL(/\/home/);
  };
  await register("371234567890054", "1357", "1982-07-19", "johnsmith82", "Roppongi-Hills-0610");

  await page.goto("/cards");
  await hydrated(page);
  const form = page.getByRole("region", { name: "家族カードの申し込み" });
  await form.getByLabel("お名前（漢字）").fill("スミス 恵子");
  await form.getByLabel("フリガナ（カタカナ）").fill("Keiko");
  await form.getByLabel("カードに記載するお名前（ローマ字）").fill("keiko smith");
  await form.getByLabel("続柄").selectOption({ label: "配偶者" });
  await form.getByLabel("生年月日").fill("1984-03-03");
  await form.getByLabel("ご本人のメールアドレス").fill("keiko.smith@example.jp");
  await form.getByRole("button", { name: "家族カードを申し込む" }).click();
  await expect(form.getByText("フリガナはカタカナで入力してください。")).toBeVisible();
  await expect(form.getByLabel("お名前（漢字）")).toHaveValue("スミス 恵子");
  await form.getByLabel("フリガナ（カタカナ）").fill("スミス ケイコ");
  await form.getByRole("button", { name: "家族カードを申し込む" }).click();
  await expect(page).toHaveURL(/applied=1/);
  const applied = page.getByTestId("family-application");
  await expect(applied).toHaveAttribute("data-status", "received");
  await expect(applied).toContainText("受付済み");

  // The demo issuer issues it after a few seconds; the card then shows on the account.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("family-application")).toHaveAttribute("data-status", "issued", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("family-application")).toContainText("発行済み");
  await page.goto("/home");
  await hydrated(page);
  await expect(page.getByTestId("card")).toHaveCount(2);
  await expect(page.getByTestId("card").nth(1)).toContainText("スミス 恵子");

  // The card arrives (in demo mode, in the outbox); her own registration shows her card only.
  type Mail = { channel: string; to: string; body: string };
  const findLetter = async () => {
    const outbox: Mail[] = await (await page.request.get("/dev/outbox.json")).json();
    return outbox.find((m) => m.channel === "post" && m.to.includes("スミス 恵子"));
  };
  await expect.poll(findLetter, { timeout: 10_000 }).toBeTruthy();
  const letter = await findLetter();
  const value = (label: string) => letter!.body.split("\n").find((l) => l.includes(label))!.split(": ").pop()!;
  const number = value("Card number").replace(/ /g, "");
  await page.getByRole("button", { name: "ログアウト" }).click();
  await register(number, value("Front code"), "1984-03-03", "keiko84", "Roppongi-Hills-0303");
  await expect(page.getByTestId("card")).toHaveCount(1);
  await expect(page.getByTestId("card")).toContainText(number.slice(-5));
});
