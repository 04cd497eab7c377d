import AxeBuilder from "@axe-core/playwright";
import { test, expect, hydrated, signInAsTaro } from "./taro";

// WCAG 2.0, 2.1 and 2.2 A and AA, colour contrast included, on every page a member can reach, on a
// phone and on a desktop. Runs first (files run in name order): 山田 太郎 still has the demo password.

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SIGNED_OUT = ["/", "/register", "/recover/id", "/recover/password"];
const SIGNED_IN = ["/home", "/activity", "/payments", "/points", "/security", "/security/password"];

for (const [name, viewport] of [
  ["phone", { width: 390, height: 844 }],
  ["desktop", { width: 1280, height: 800 }],
] as const) {
  test.describe(`on a ${name}`, () => {
    // axe is injected as a script, which the pages' own policy (checked everywhere else) refuses.
    test.use({ viewport, bypassCSP: true });

    for (const path of [...SIGNED_OUT, ...SIGNED_IN]) {
      test(`${path} has no WCAG 2.2 AA violation`, async ({ page }) => {
        if (SIGNED_IN.includes(path)) await signInAsTaro(page);
        await page.goto(path);
        await hydrated(page);
        await page.waitForLoadState("networkidle");
        const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
        const found = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help}`);
        expect(found).toEqual([]);
      });
    }
  });
}
