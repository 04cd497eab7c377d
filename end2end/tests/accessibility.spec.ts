import AxeBuilder from "@axe-core/playwright";
import { type Page } from "@playwright/test";
import { test, expect, hydrated, signInAsTaro } from "./taro";

// WCAG 2.0, 2.1 and 2.2 A and AA, colour contrast included, on every page a member can reach, on a
// phone and on a desktop, with a screenshot of each (test-results/screens) and, on the phone, touch
// targets of at least 44 × 44 px. Runs first (files run in name order): 山田 太郎 still has the demo password.

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SIGNED_OUT = ["/", "/register", "/recover/id", "/recover/password"];
const SIGNED_IN = ["/home", "/activity", "/payments", "/points", "/cards", "/details", "/details/offline", "/pin", "/menu", "/security", "/security/password"];

// Every control a finger can reach on the page, with its label when the label is the target too
// (a checkbox and its text), smaller than 44 × 44 px. Links inside a sentence are exempt (WCAG 2.5.8).
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      "a[href], button, input:not([type=hidden]), select, textarea, summary",
    );
    for (const el of controls) {
      let box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;
      if (box.right <= 0 || box.bottom <= 0) continue; // moved off screen until focused (skip link)
      const parent = el.parentElement;
      if (el.tagName === "A" && style.display === "inline" && parent &&
          (parent.textContent ?? "").trim() !== (el.textContent ?? "").trim()) continue;
      for (const label of (el as HTMLInputElement).labels ?? []) {
        const l = label.getBoundingClientRect();
        const left = Math.min(box.left, l.left), top = Math.min(box.top, l.top);
        box = new DOMRect(left, top, Math.max(box.right, l.right) - left, Math.max(box.bottom, l.bottom) - top);
      }
      if (box.width < 44 || box.height < 44) {
        const name = (el.getAttribute("aria-label") ?? el.textContent ?? el.id).trim().slice(0, 24);
        small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return [...new Set(small)];
  });
}

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
        await page.screenshot({ path: `test-results/screens/${name}${path.replaceAll("/", "_")}.png`, fullPage: true });
        if (name === "phone") expect(await smallTargets(page), "touch targets of 44 × 44 px").toEqual([]);
      });
    }
  });
}
