// Lighthouse 12.2.3 (npm, web/package-lock.json) with Debian's chromium on pages of a running
// `poles serve`, logged in by the session cookie given. Prints one markdown table row per page.
// Usage: node bench/lighthouse.mjs WEB_ROOT BASE_URL COOKIE NAME=HASH...
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { writeFileSync } from "node:fs";
const [webRoot, base, cookie, ...pages] = process.argv.slice(2);
const require = createRequire(join(resolve(webRoot), "package.json"));
const { default: lighthouse } = await import(require.resolve("lighthouse"));
const chromeLauncher = await import(require.resolve("chrome-launcher"));
const chrome = await chromeLauncher.launch({ chromePath: "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"] });
try {
  for (const spec of pages) {
    const [name, hash] = spec.split("=");
    // The desktop preset (the dashboard is an officer's desktop tool; 390 px layouts are checked by
    // the browser test): simulated 10 Mbit/s, 40 ms RTT, no CPU slowdown.
    const r = await lighthouse(`${base}/${hash}`, { port: chrome.port, output: "json", logLevel: "error", extraHeaders: { Cookie: cookie },
      onlyCategories: ["performance", "accessibility", "best-practices"] },
    (await import(require.resolve("lighthouse/core/config/desktop-config.js"))).default);
    const c = r.lhr.categories;
    const score = (k) => Math.round(100 * c[k].score);
    const a = r.lhr.audits;
    console.log(`| ${name} | \`${hash}\` | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${a["first-contentful-paint"].displayValue} | ${a["largest-contentful-paint"].displayValue} | ${a["total-blocking-time"].displayValue} | ${a["cumulative-layout-shift"].displayValue} |`);
    if (process.env.LH_VERBOSE) {
      console.error(name, r.lhr.finalDisplayedUrl, JSON.stringify(a["layout-shifts"]?.details?.items?.slice(0, 5) ?? a["layout-shifts"]).slice(0, 1500));
      writeFileSync(`/tmp/lh-${name.replace(/\W+/g, "-")}.json`, JSON.stringify(r.lhr));
    }
    if (process.env.LH_VERBOSE) for (const [id, au] of Object.entries(a)) if (au.score !== null && au.score < 0.9 && au.scoreDisplayMode !== "informative") console.error(name, id, au.score, au.displayValue || "");
  }
} finally {
  await chrome.kill();
}
