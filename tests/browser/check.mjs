// Checks HTML reports in a real browser (Chromium through puppeteer-core, no browser
// download): axe-core with the WCAG 2.0 and 2.1 A and AA rules, no request for anything
// outside the page, no sideways scrolling of the page at 320 px (WCAG 1.4.10; wide tables
// scroll in their own region), and every scroll region reachable by keyboard. With
// SCREENSHOTS=DIR, full-page screenshots at 320 and 1280 px are written there to look at.
//
// Usage: node check.mjs PAGE.html…   (CHROMIUM=path overrides /usr/bin/chromium)
// Exits non-zero on any violation, naming the page, the rule and the elements.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const pages = process.argv.slice(2);
if (pages.length === 0) {
  console.error("usage: node check.mjs PAGE.html…");
  process.exit(2);
}
const screenshots = process.env.SCREENSHOTS;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  // Root in a container has no user namespace for Chromium's sandbox.
  args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"],
});

let failures = 0;
const fail = (page, message) => {
  failures += 1;
  console.error(`${page}: ${message}`);
};

for (const file of pages) {
  const name = basename(file);
  const url = pathToFileURL(resolve(file)).href;
  const page = await browser.newPage();
  page.on("request", (request) => {
    const requested = request.url();
    if (requested !== url && !requested.startsWith("data:")) {
      fail(name, `requests ${requested}`);
    }
  });
  for (const width of [320, 1280]) {
    await page.setViewport({ width, height: 900 });
    await page.goto(url, { waitUntil: "load" });
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (sideways > 0) {
      fail(name, `the page scrolls sideways by ${sideways} px at ${width} px`);
    }
    if (screenshots) {
      const path = join(screenshots, `${name.replace(/\.html$/, "")}-${width}.png`);
      await page.screenshot({ path, fullPage: true });
    }
  }
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    }),
  );
  for (const violation of results.violations) {
    const targets = violation.nodes.slice(0, 5).map((node) => node.target.join(" ")).join("; ");
    fail(name, `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.length} element(s): ${targets}`);
  }
  console.log(`${name}: ${results.violations.length} axe violation(s), ${results.passes?.length ?? "–"} rules passed`);
  await page.close();
}

await browser.close();
if (failures > 0) {
  console.error(`${failures} problem(s)`);
  process.exit(1);
}
