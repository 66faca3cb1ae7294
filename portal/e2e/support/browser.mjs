// Debian's Chromium driven by playwright-core (no browser download), with the flags that work on this kind of
// machine (docs: ../shared/FACTS.md), axe-core checks, screenshots and the steps every test repeats.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { resultsDirectory } from "./platform.mjs";

export const wide = { width: 1280, height: 900 };
export const narrow = { width: 390, height: 844 };

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PIRAMID_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A fresh browser profile (its own cookies, so its own person) at 1280 px. */
export async function newPerson(browser) {
  const context = await browser.newContext({ viewport: wide });
  context.setDefaultTimeout(30_000);
  return { context, page: await context.newPage() };
}

/** The control plane's sign-in page (its labels: Email, Password, Sign in). */
export async function signInOnLoginPage(page, email, password) {
  await page.waitForURL(/\/account\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Every axe violation that is serious or critical, as readable lines (empty when none). */
export async function seriousViolations(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

const screenshots = join(resultsDirectory(), "portal-screenshots");

/** Saves a full-page screenshot as portal-screenshots/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}
