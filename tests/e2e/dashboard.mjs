// Browser test of the dashboard: Debian's chromium driven by playwright-core. Starts `poles serve`
// on a fresh small demo, logs in, visits every page, switches language, imports a bad then a good
// file, and saves screenshots. Then every page in both languages at 1440 and 390 px: axe-core
// (zero serious or critical violation; at 390 px in French only), the vocabulary scan (no raw
// code, no word of the other language from the catalogue), no page-wide horizontal scrolling, a
// screenshot each. An SME's
// journey on the public portal (directory, cluster page, partner finder, support request answered
// by the cluster's manager in the dashboard, read through the tracking link), then every portal
// page in both languages and widths through axe-core. Exits 77 (skipped) when chromium or
// playwright-core is missing.
// Usage: node dashboard.mjs POLES_BINARY WEB_ROOT SCREENSHOT_DIR
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import { resolve } from "node:path";
const [poles, webRoot, shots] = process.argv.slice(2).map((p) => resolve(p));
const chromium = "/usr/bin/chromium";
const require = createRequire(join(webRoot, "package.json"));
let playwright, AxeBuilder;
try { playwright = require("playwright-core"); AxeBuilder = require("@axe-core/playwright").default; } catch { console.log("SKIP: playwright-core or @axe-core/playwright not installed (cd web && npm ci)"); process.exit(77); }
if (!existsSync(chromium)) { console.log("SKIP: /usr/bin/chromium missing (scripts/install-deps)"); process.exit(77); }

// A report's two links fetched from the page: the HTML (status, text) and the PDF (type, first bytes).
const fetchReport = (page, htmlSelector, pdfSelector) => page.evaluate(async ([hs, ps]) => {
  const h = await fetch(document.querySelector(hs).href);
  const p = await fetch(document.querySelector(ps).href);
  const bytes = new Uint8Array(await p.arrayBuffer());
  return { status: h.status, html: await h.text(), type: p.headers.get("content-type"), head: String.fromCharCode(...bytes.slice(0, 5)) };
}, [htmlSelector, pdfSelector]);
// A report's PDF in French and in English, as pdftotext reads it: scanned with the pages below
// (no raw code, no word of the other language).
const reportTexts = [];
async function keepReportTexts(page, pdfSelector, name) {
  for (const lng of ["fr", "en"]) {
    // The PDF's bytes, and the proper names its HTML marks translate="no" (left out of the scan,
    // as on the pages).
    const { b64, names } = await page.evaluate(async ([ps, l]) => {
      const u = new URL(document.querySelector(ps).href, location.href);
      u.searchParams.set("lang", l);
      const bytes = new Uint8Array(await (await fetch(u)).arrayBuffer());
      let s = "";
      for (const b of bytes) s += String.fromCharCode(b);
      u.searchParams.set("format", "html");
      const doc = new DOMParser().parseFromString(await (await fetch(u)).text(), "text/html");
      return { b64: btoa(s), names: [...doc.querySelectorAll('[translate="no"]')].map((e) => e.textContent.trim()).filter(Boolean) };
    }, [pdfSelector, lng]);
    const file = join(dir, `${name}-${lng}.pdf`);
    writeFileSync(file, Buffer.from(b64, "base64"));
    let text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " ");
    for (const n of names.sort((a, b) => b.length - a.length)) text = text.split(n.replace(/\s+/g, " ")).join(" ");
    reportTexts.push({ name, lng, text });
  }
}
const freePort = () => new Promise((resolve) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const dir = mkdtempSync(join(tmpdir(), "poles-e2e-"));
const db = join(dir, "e2e.db");
mkdirSync(join(shots, "pages-1440"), { recursive: true });
mkdirSync(join(shots, "pages-390"), { recursive: true });
mkdirSync(join(shots, "portal-1440"), { recursive: true });
mkdirSync(join(shots, "portal-390"), { recursive: true });
execFileSync(poles, ["-q", "--db", db, "demo", "--scale", "small", "--seed", "11"], { stdio: "inherit" });
const port = await freePort();
const server = spawn(poles, ["--db", db, "serve", "--listen", `127.0.0.1:${port}`, "--web-root", webRoot], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise((resolve, reject) => {
  server.stdout.on("data", (d) => { if (String(d).includes("log in as")) resolve(); });
  server.on("exit", (code) => reject(new Error(`poles serve exited with ${code}`)));
});
const password = readFileSync(`${db}.admin-password`, "utf8").trim();
const base = `http://127.0.0.1:${port}`;

// Static files: ETag and revalidation, immutable for versioned URLs, gzip when accepted.
for (let i = 0; i < 100; i++) { try { await fetch(`${base}/api/v1/health`); break; } catch { await new Promise((r) => setTimeout(r, 100)); } }
{
  const app = await fetch(`${base}/app.js`);
  assert.equal(app.headers.get("cache-control"), "no-cache");
  const etag = app.headers.get("etag");
  assert.match(etag, /^"[0-9a-f]{32}(-gz)?"$/);
  assert.equal((await fetch(`${base}/app.js`, { headers: { "If-None-Match": etag } })).status, 304);
  const css = await fetch(`${base}/node_modules/@gouvfr/dsfr/dist/core/core.main.min.css?v=1.14.4`);
  assert.equal(css.status, 200);
  assert.equal(css.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(css.headers.get("content-encoding"), "gzip", "text files are compressed (fetch accepts gzip)");
  assert.equal(css.headers.get("vary"), "Accept-Encoding");
  const font = await fetch(`${base}/node_modules/@gouvfr/dsfr/dist/fonts/Marianne-Regular.woff2`);
  assert.equal(font.headers.get("content-encoding"), null, "fonts are not compressed again");
}

const browser = await playwright.chromium.launch({
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--lang=fr-FR"],
});
let failed = false;
let step = "start";
const errors = [];
try {
  // A context of its own (axe-core needs one).
  // A French officer's browser (--lang above): the native date inputs follow the browser's locale
  // (jj/mm/aaaa), not the page's, as they do for every person (the DSFR keeps them native).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
  const page = await context.newPage();
  // Under AddressSanitizer and a parallel ctest run the server can be several times slower than
  // usual: waits are generous, a failure says at which step it happened.
  page.setDefaultTimeout(90000);
  page.on("pageerror", (e) => errors.push(String(e)));
  // Script errors fail the test; so does any failed request other than the API's expected
  // refusals (401 before login, 422 for the bad file).
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text()); });
  page.on("response", (r) => {
    const expected = r.url().includes("/api/v1/") && [401, 422].includes(r.status());
    if (r.status() >= 400 && !expected) errors.push(`${r.status()} ${r.url()}`);
  });
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  // A menu entry: its group (Analyses, Administration) opened first when it sits in one; the group
  // opens on a click, shows its entries, and closes once one is chosen.
  const openNav = async (p, href) => {
    const link = p.locator(`#nav a[href="${href}"]`);
    const group = p.locator(`#nav [data-group]:has(a[href="${href}"]) > .fr-nav__btn`);
    if (await group.count()) {
      await group.click();
      assert.equal(await group.getAttribute("aria-expanded"), "true");
      await link.waitFor({ state: "visible" });
    }
    await link.click();
    if (await group.count()) await p.waitForFunction((h) => document.querySelector(`#nav [data-group]:has(a[href="${h}"]) > .fr-nav__btn`).getAttribute("aria-expanded") === "false", href);
  };

  // Anonymous visitors land on the login page; a wrong password is refused.
  step = "Anonymous visitors land on the login page";
  await page.goto(base + "/");
  await page.waitForSelector("#login-name");
  assert.equal(await page.locator("h1").textContent(), "Connexion");
  await page.fill("#login-name", "admin");
  await page.fill("#login-password", "not the password");
  await page.click("button[type=submit]");
  await page.waitForSelector(".problem");
  await shot("01-login-refused");
  await page.fill("#login-password", password);
  await page.click("button[type=submit]");
  await page.waitForSelector('path[data-region="76"]');
  const catalogue = await page.evaluate(() => window.poles.catalogue());
  const frWords = new Set(catalogue.map((c) => c.fr.toLowerCase()));
  const enWords = new Set(catalogue.map((c) => c.en.toLowerCase()));
  const esc = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // English labels that are not also French words (and the reverse), long enough not to be accidents.
  const foreign = { fr: catalogue.filter((c) => c.en.toLowerCase() !== c.fr.toLowerCase() && !frWords.has(c.en.toLowerCase()) && c.en.length >= 5).map((c) => c.en),
    en: catalogue.filter((c) => c.en.toLowerCase() !== c.fr.toLowerCase() && !enWords.has(c.fr.toLowerCase()) && c.fr.length >= 5).map((c) => c.fr) };
  const problems = [];
  // Raw codes (snake_case) and the other language's labels in a text a person reads.
  const wordProblems = (where, text, lng) => {
    const raw = text.match(/\b[a-z]+_[a-z_]+\b/g);
    if (raw) problems.push(`${where}: raw codes ${[...new Set(raw)].slice(0, 5).join(", ")}`);
    for (const w of foreign[lng]) if (new RegExp(`(^|[^\\p{L}\\p{N}-])${esc(w)}($|[^\\p{L}\\p{N}-])`, "iu").test(text)) problems.push(`${where}: ${lng === "fr" ? "English" : "French"} label "${w}"`);
  };
  const scan = () => page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    // Left out: proper names (translate="no"), the other language's button, menus of names,
    // closed parts, and the charts' drawings (their labels are names and acronyms of the data).
    for (const e of clone.querySelectorAll('[translate="no"], script, style, [lang]:not(html), select, dialog, [hidden], details:not([open]) > :not(summary), .chart svg, .sigma')) e.remove();
    return { text: clone.innerText || clone.textContent, misses: window.poles.vocabMisses.splice(0) };
  });
  // The states a journey reaches (after an import, an estimation, a recommendation) are scanned
  // as the pages are below: most raw codes hide there, not on a page just opened.
  const checkWords = async (where) => {
    const { text, misses } = await scan();
    for (const m of misses) problems.push(`${where}: code without a label ${m}`);
    wordProblems(where, text, await page.getAttribute("html", "lang"));
  };

  // Map: every metropolitan region is drawn; the table lists all 18 regions.
  step = "Map";
  await page.waitForSelector('path[data-region="76"]');
  assert.equal(await page.locator("svg path[data-region]").count(), 13);
  assert.equal(await page.locator("#page table tbody tr").count(), 18);
  await page.selectOption("#indicator", "projects");
  await shot("02-map"); await checkWords("02-map");

  // Clicking a region lists its clusters; search filters them.
  step = "Clicking a region lists its clusters";
  const region = await page.locator("#page table tbody tr").filter({ hasText: /[1-9]/ }).first();
  await page.locator('path[data-region="84"]').click();
  await page.waitForSelector('[data-page="pageClusters"]');
  assert.equal(await page.inputValue("#region"), "84");
  await page.selectOption("#region", "");
  const all = await page.locator("#page table tbody tr").count();
  assert.equal(all, 12);
  await page.fill("#q", "Aéronautique");
  assert.ok((await page.locator("#page table tbody tr").count()) < all);
  await page.fill("#q", "");
  // The columns shown are chosen (the region's left out), and the rows exported as a workbook of
  // those columns, numbers as numbers (read back by Python's openpyxl, Debian's).
  const heads = await page.locator("#page table thead th:visible").allTextContents();
  await page.click("#page .table-columns summary");
  await page.locator("#page .table-columns input").nth(1).uncheck();
  const shownHeads = await page.locator("#page table thead th:visible").allTextContents();
  assert.deepEqual(shownHeads, heads.filter((_, i) => i !== 1));
  assert.equal(await page.locator("#page table tbody tr").first().locator("td:visible").count(), shownHeads.length);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('#page .table-tools button:text("Exporter en XLSX")')]);
  const xlsxFile = join(dir, "clusters.xlsx");
  await download.saveAs(xlsxFile);
  const book = JSON.parse(execFileSync("/usr/bin/python3", ["-I", "-c",
    "import json, sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).active\nprint(json.dumps([ws.title] + [[c.value for c in r] for r in ws.iter_rows()]))", xlsxFile]).toString());
  assert.equal(book[0], "Pôles de compétitivité", "the sheet named after the page");
  assert.deepEqual(book[1], shownHeads);
  assert.equal(book.length - 2, all, "every row of the table, not only those shown");
  const membersColumn = shownHeads.findIndex((h) => h.startsWith("Membres"));
  assert.ok(book.slice(2).every((r) => typeof r[membersColumn] === "number"), "members as numbers");
  await page.locator("#page .table-columns input").nth(1).check();
  await page.click("#page .table-columns summary");
  await shot("03-clusters"); await checkWords("03-clusters");
  void region;

  // Cluster profile with its charts.
  step = "Cluster profile with its charts";
  await page.locator("#page table tbody tr a").first().click();
  await page.waitForSelector('[data-page="pageCluster"] .chart svg');
  assert.ok((await page.locator(".chart svg").count()) >= 3);
  // The hub: members with names, funding by year and programme, the evaluation with its why.
  const profileId = decodeURIComponent(page.url().split("#/cluster/")[1]);
  const profileApi = await page.evaluate(async (id) => (await fetch(`/api/v1/clusters/${encodeURIComponent(id)}/profile`)).json(), profileId);
  assert.ok(profileApi.member_list.length > 0);
  assert.equal(await page.locator("#profile-members tbody tr").count(), Math.min(25, profileApi.member_list.length));
  assert.ok((await page.locator("#profile-members tbody tr a").first().textContent()).length > 0, "members are named");
  assert.ok(await page.locator("#profile-funding tbody tr").count() > 0, "funding by year");
  assert.match(await page.locator("#profile-funding").textContent(), /[kM]€/, "amounts in k€/M€");
  await page.waitForSelector("#profile-evaluation .why li");
  assert.match(await page.locator("#profile-evaluation").textContent(), /Rang \d+ sur \d+/);
  await page.locator("#profile-members th button.sort").first().click();
  assert.equal(await page.getAttribute("#profile-members th:first-child", "aria-sort"), "ascending");
  await shot("04-cluster-profile"); await checkWords("04-cluster-profile");

  // Project page, then an organisation page.
  step = "Project page, then an organisation page";
  await page.locator('a[href^="#/project/"]').first().click();
  await page.waitForSelector('[data-page="pageProject"]');
  await shot("05-project"); await checkWords("05-project");
  await page.locator('a[href^="#/organisation/"]').first().click();
  await page.waitForSelector('[data-page="pageOrganisation"]');
  await shot("06-organisation"); await checkWords("06-organisation");

  // English, then back to French.
  step = "English, then back to French";
  await page.click("#lang");
  await page.waitForSelector('nav a[href="#/map"]:text("Map")');
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await shot("07-english"); await checkWords("07-english");
  await page.click("#lang");
  await page.waitForSelector('nav a[href="#/map"]:text("Carte")');

  // Import: a bad file lists its errors line by line and writes nothing; a good one goes in.
  step = "Import";
  await openNav(page, '#/import');
  await page.waitForSelector("#entity");
  await page.selectOption("#entity", "cluster");
  const bad = "id;name;region;scale\nok-1;Pôle un;84;regional\nko 2;Pôle deux;99;mondial\n";
  await page.setInputFiles("#file", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.click("#check");
  await page.waitForSelector("#report .problem table");
  const rows = await page.locator("#report .problem tbody tr").allTextContents();
  assert.equal(rows.length, 3, rows.join(" / "));
  assert.ok(rows.some((r) => r.includes("region") && r.includes("99")), rows.join(" / "));
  await shot("08-import-errors"); await checkWords("08-import-errors");
  const good = "id;name;region;scale\ne2e-1;Pôle e2e un (synthétique);84;regional\ne2e-2;Pôle e2e deux (synthétique);11;national\n";
  await page.setInputFiles("#file", { name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.click("#check");
  await page.waitForSelector("#report .ok");
  assert.match(await page.locator("#report .ok").textContent(), /2 lignes \(2 nouvelles/);
  await page.click("#confirm");
  await page.waitForSelector("#report .ok:text('Import terminé')");
  await shot("09-import-done"); await checkWords("09-import-done");
  // The preview (issue #19): a file of one column changes that field only, shown before and
  // after with its label; a replace of a scope shows the row it deletes, then deletes it.
  step = "Import preview";
  await page.setInputFiles("#file", { name: "echelle.csv", mimeType: "text/csv", buffer: Buffer.from("id;scale\ne2e-2;regional\n") });
  await page.click("#check");
  await page.waitForSelector("#changes tbody tr");
  const change = await page.locator("#changes tbody tr").first().textContent();
  assert.match(change, /Modifiée/, change);
  assert.match(change, /envergure.*national → régional/, change);
  await shot("09b-import-preview"); await checkWords("09b-import-preview");
  await page.selectOption("#mode", "replace");
  await page.fill("#scope-field", "id");
  await page.fill("#scope-value", "e2e-1");
  await page.setInputFiles("#file", { name: "vide.csv", mimeType: "text/csv", buffer: Buffer.from("id;name;region;scale\n") });
  await page.click("#check");
  await page.waitForSelector("#changes tbody tr");
  const gone = await page.locator("#changes tbody tr").first().textContent();
  assert.match(gone, /Supprimée.*e2e-1/, gone);
  await page.click("#confirm");
  await page.waitForSelector("#report p:text('1 ligne(s) du périmètre absentes du fichier ont été supprimées.')");
  await page.selectOption("#mode", "upsert");
  // Any file through a column mapping built on its columns: a preview lists the refused row with
  // its reason and writes nothing; then the valid rows are written.
  step = "Mapped import";
  const directory = "Identifiant;Raison sociale;Type;Effectif\ne2e-org-1;Éole e2e (synthétique);company;1 250\n" +
    "e2e-org-2;Labo e2e (synthétique);research;\ne2e-org-3;Inconnue e2e;partenaire;3\n";
  await page.setInputFiles("#mi-file", { name: "annuaire.csv", mimeType: "text/csv", buffer: Buffer.from(directory) });
  await page.waitForSelector("#mi-fields tbody tr[data-field='name']");
  await page.fill("#mi-mapping", "");
  await page.selectOption("#mi-fields select[data-field='id']", "col:Identifiant");
  await page.selectOption("#mi-fields select[data-field='name']", "col:Raison sociale");
  await page.selectOption("#mi-fields select[data-field='kind']", "col:Type");
  await page.selectOption("#mi-fields select[data-field='headcount']", "col:Effectif");
  await page.locator("#mi-fields tr[data-field='headcount'] td:nth-child(3) select").selectOption("number");
  await page.click("#mi-add");
  assert.match(await page.inputValue("#mi-mapping"), /headcount = \{ column = "Effectif", normalise = \["number"\] \}/);
  await page.check("#mi-skip");
  await page.click("#mi-preview");
  await page.waitForSelector("#mi-report #mi-refused tbody tr");
  assert.match(await page.locator("#mi-report p").first().textContent(), /Lignes lues\s:\s3\s;\sacceptées\s:\s2\s;\srefusées\s:\s1/);
  const refused = await page.locator("#mi-refused tbody tr").allTextContents();
  assert.equal(refused.length, 1, refused.join(" / "));
  assert.ok(refused[0].includes("partenaire"), refused[0]);
  await shot("09c-mapped-import-preview"); await checkWords("09c-mapped-import-preview");
  await page.click("#mi-import");
  await page.waitForSelector("#mi-report p.warning:text('Import terminé')");
  assert.match(await page.locator("#mi-report p").first().textContent(), /écrites\s:\s2/);
  // The census of members: the demo released 2024 as its memberships say (nothing to change);
  // the current year is not released yet: the preview lists every cluster, then the release.
  step = "Census of members";
  await page.fill("#census-year", "2024");
  await page.click("#census-preview");
  await page.waitForSelector("#census-report .ok");
  assert.match(await page.locator("#census-report .ok").textContent(), /2024\s:\s[\d\s\u202f]+ membres\s;\sla publication ajouterait 0 membres et en retirerait 0/);
  assert.ok(await page.locator("#census-release").isHidden());
  const thisYear = String(new Date().getFullYear());
  await page.fill("#census-year", thisYear);
  await page.click("#census-preview");
  await page.waitForSelector("#census-table tbody tr");
  assert.ok(!(await page.locator("#census-table tbody tr").first().textContent()).includes("demo-"), "cluster names, not ids");
  await page.click("#census-release");
  await page.waitForSelector(`#census-report .ok:text('${thisYear} publié')`);
  await shot("09b-census"); await checkWords("09b-census");

  // The audit log shows the import; accounts and the account page render.
  step = "The audit log shows the import";
  await openNav(page, '#/admin/audit');
  await page.waitForSelector('[data-page="pageAudit"] table');
  assert.ok((await page.locator('[data-page="pageAudit"] tbody tr').allTextContents()).some((r) => r.includes("import") && r.includes("admin")));
  await shot("10-audit"); await checkWords("10-audit");
  await openNav(page, '#/admin/users');
  await page.waitForSelector('[data-page="pageUsers"] table');
  await openNav(page, '#/account');
  await page.waitForSelector('[data-page="pageAccount"]');
  // The account page lists the tokens (never their secret); one made there is revoked there.
  step = "Tokens listed and revoked on the account page";
  await page.waitForSelector("#tokens :is(table, p)");
  const tokensBefore = await page.locator("#tokens tbody tr").count();
  await page.fill("#token-label", "e2e token");
  await page.click("#token-create");
  await page.waitForFunction((n) => document.querySelectorAll("#tokens tbody tr").length === n + 1, tokensBefore);
  const secret = await page.locator('[data-page="pageAccount"] code').textContent();
  assert.ok(!(await page.locator("#tokens").textContent()).includes(secret), "the list shows a secret");
  await shot("11-account"); await checkWords("11-account");
  await page.click('#tokens tbody tr:has-text("e2e token") button');
  await page.waitForFunction((n) => document.querySelectorAll("#tokens tbody tr").length === n, tokensBefore);

  // Keyboard: the map's regions are reachable and open with Enter.
  step = "Keyboard";
  await openNav(page, '#/map');
  await page.waitForSelector('path[data-region="11"]');
  await page.focus('path[data-region="11"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector('[data-page="pageClusters"]');
  assert.equal(await page.inputValue("#region"), "11");

  // Cooperation network: KPIs, the sigma graph, both heatmaps, SME table, an organisation's ego
  // network and recommendations, a cluster filter, a GraphML export.
  step = "Cooperation network";
  await openNav(page, '#/network');
  await page.waitForSelector('#net-graph[data-ready="true"]');
  assert.ok(Number(await page.getAttribute("#net-graph", "data-nodes")) > 50);
  assert.ok((await page.locator("#net-graph canvas").count()) > 0);
  await page.waitForSelector("#net-clusters svg");
  await page.waitForSelector("#net-regions svg");
  assert.ok((await page.locator("#net-sme tbody tr").count()) > 5);
  const allOrgs = await page.locator("#net-kpis .kpi strong").first().textContent();
  const top = await page.evaluate(async () => (await (await fetch("/api/v1/network/organisations?sort=degree&limit=1")).json()).items[0]);
  await page.fill("#net-org", top.id);
  await page.click("#net-org-go");
  await page.waitForSelector("#net-recommendations tbody tr");
  assert.equal(await page.locator("#net-recommendations tbody tr").count(), 10);
  await page.waitForSelector("#net-ego svg");
  assert.equal(await page.locator("#net-side h2").textContent(), top.name);
  await shot("13-network"); await checkWords("13-network");
  const exported = await page.evaluate(async () => {
    const href = document.querySelector("a.export").getAttribute("href");
    const r = await fetch(href);
    return { href, status: r.status, head: (await r.text()).slice(0, 40) };
  });
  assert.equal(exported.status, 200);
  assert.match(exported.href, /format=graphml/);
  assert.match(exported.head, /^<\?xml/);
  await page.selectOption("#net-cluster", { index: 1 });
  await page.click("#net-apply");
  await page.waitForFunction((before) => {
    const k = document.querySelector("#net-kpis .kpi strong");
    return location.hash.includes("cluster=") && k && k.textContent !== before;
  }, allOrgs);
  await page.waitForSelector('#net-graph[data-ready="true"]');
  await shot("14-network-cluster"); await checkWords("14-network-cluster");

  // Calls and selection: ranking with rank intervals, reviewer workload, portfolio against
  // sprinkling with its Lorenz curve, the portfolio's risk distribution; numbers as the API says.
  step = "Calls and selection";
  await openNav(page, '#/select');
  await page.waitForSelector('#sel-lorenz[data-ready="true"]');
  const selCall = await page.locator("#sel-call").inputValue();
  const api = await page.evaluate(async (c) => Promise.all([
    fetch(`/api/v1/select/calls/${c}/scores?bootstrap=0`).then((r) => r.json()),
    fetch(`/api/v1/select/calls/${c}/portfolio`).then((r) => r.json())]), selCall);
  assert.equal(await page.locator("#sel-ranking tbody tr").count(), api[0].ranking.length);
  assert.ok(api[0].ranking.length >= 20, "the demo call has its proposals ranked");
  const fundedCell = await page.locator("#sel-portfolio tbody tr").first().locator("td").nth(1).textContent();
  assert.equal(fundedCell.trim(), String(api[1].optimised.funded));
  assert.ok(await page.locator("#sel-lorenz svg path").count() > 0, "Lorenz curve drawn");
  assert.ok(await page.locator("#sel-risk svg path").count() > 0, "risk distribution drawn");
  await shot("15-selection"); await checkWords("15-selection");
  // Recording the assignment from the board: the call then has exactly the optimised pairs.
  // Replacing needs a confirmation: cancel writes nothing, confirm writes.
  const before = await page.evaluate(async (c) => (await (await fetch("/api/v1/select/calls")).json()).items.find((x) => x.id === c).assignments, selCall);
  await page.click("#sel-save-assignment");
  await page.waitForSelector("#confirm-dialog[open]");
  await page.click("#confirm-cancel");
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(async (c) => (await (await fetch("/api/v1/select/calls")).json()).items.find((x) => x.id === c).assignments, selCall), before);
  await page.click("#sel-save-assignment");
  await page.click("#confirm-ok");
  await page.waitForSelector("#sel-record-status:text('Affectation enregistrée')");
  const [pairs, recorded] = await page.evaluate(async (c) => [
    (await (await fetch(`/api/v1/select/calls/${c}/assignment`)).json()).proposals.reduce((n, p) => n + p.reviewers.length, 0),
    (await (await fetch("/api/v1/select/calls")).json()).items.find((x) => x.id === c).assignments], selCall);
  assert.ok(pairs > 0);
  assert.equal(recorded, pairs);
  const firstCall = await page.locator("#sel-call option").first().getAttribute("value");
  assert.notEqual(firstCall, selCall, "the demo has several calls");
  await page.selectOption("#sel-call", firstCall);
  await page.waitForSelector(`#sel-lorenz[data-ready="true"][data-call="${firstCall}"]`);

  // From projects to products: the funnel as the API counts it, then filtered by programme;
  // leverage by cluster.
  step = "Project funnel and leverage";
  await openNav(page, '#/pipeline');
  await page.waitForSelector('#pipe-funnel[data-ready="true"]');
  const funnelApi = await page.evaluate(async () => (await fetch("/api/v1/pipeline/funnel")).json());
  const firstStage = await page.locator("#pipe-stages tbody tr").first().locator("td").nth(1).textContent();
  assert.equal(firstStage.replace(/\s/g, ""), String(funnelApi.all.stages[0].reached));
  assert.equal(await page.locator("#pipe-stages tbody tr").count(), 7);
  assert.ok(await page.locator("#pipe-funnel svg path").count() > 0, "funnel drawn");
  assert.ok(await page.locator("#pipe-leverage tbody tr").count() > 0, "leverage by cluster");
  await shot("16-pipeline"); await checkWords("16-pipeline");
  await page.selectOption("#pipe-programme", "ANR");
  await page.waitForFunction(() => location.hash === "#/pipeline?programme=ANR" && document.querySelector('#pipe-funnel[data-ready="true"]'));
  const anr = await page.evaluate(async () => (await fetch("/api/v1/pipeline/funnel?programme=ANR")).json());
  const anrFirst = await page.locator("#pipe-stages tbody tr").first().locator("td").nth(1).textContent();
  assert.equal(anrFirst.replace(/\s/g, ""), String(anr.all.stages[0].reached));
  assert.ok(anr.all.projects < funnelApi.all.projects);

  // SME services and digital diagnostics.
  step = "SME services and diagnostics";
  await openNav(page, '#/services');
  await page.waitForSelector('#svc-reach[data-ready="true"]');
  await page.waitForSelector('#diag-dims[data-ready="true"]');
  const [svcApi, diagApi] = await page.evaluate(async () => Promise.all([
    fetch("/api/v1/services/summary").then((r) => r.json()), fetch("/api/v1/services/diagnostics").then((r) => r.json())]));
  assert.equal(await page.locator("#svc-clusters tbody tr").count(), svcApi.clusters.length);
  assert.ok(svcApi.clusters.length > 0);
  assert.equal(await page.locator("#diag-aid tbody tr").count(), diagApi.aid_by_maturity.length);
  assert.equal(await page.locator("#diag-progress").count(), diagApi.progress.secret ? 0 : 1);
  assert.ok(await page.locator("#diag-dims svg path").count() > 0, "maturity drawn");
  // What follows a service: no raw interval on a handful of firms (the small demo serves nearly
  // every SME member), the matched effect only when the engine could match.
  const outcomes = svcApi.outcomes;
  const few = Math.min(outcomes.served.firms, outcomes.not_served.firms) < 10;
  assert.equal(await page.locator("#svc-raw.muted").count(), few ? 1 : 0, "raw comparison on too few firms");
  assert.equal(await page.locator("#svc-matched").count(), outcomes.matched.effect == null ? 0 : 1);
  await shot("17-services"); await checkWords("17-services");

  // A Region's co-funding (as the admin, region 11): the table holds one row per cluster the API
  // gives, and the headline aid is the API's.
  step = "Regional co-funding";
  await openNav(page, '#/cofunding');
  await page.waitForSelector('#cof-years[data-ready="true"]');
  const cofRegion = await page.locator("#cof-region").inputValue();
  const cof = await page.evaluate(async (r) => (await fetch(`/api/v1/regions/${r}/cofunding?from=2013&to=2022`)).json(), cofRegion);
  assert.ok(cof.clusters.length > 0, "clusters of the region listed");
  assert.equal(await page.locator("#cof-table tbody tr").count(), Math.min(cof.clusters.length, 50));
  assert.equal(await page.locator("#cof-funders tbody tr").count(), cof.funders.length);
  assert.ok((await page.locator("#cof-kpis").textContent()).includes(cof.projects.toLocaleString("fr-FR")), "projects in the headline");
  await shot("17b-cofunding"); await checkWords("17b-cofunding");

  // Employment: the LQ map, the projection, shift-share by region; the sector sheet as HTML and PDF.
  step = "Employment and the sector sheet";
  await openNav(page, '#/employment');
  await page.waitForSelector('#emp-projection[data-ready="true"]');
  const sector = await page.locator("#emp-sector").inputValue();
  const empApi = await page.evaluate(async (s) => (await fetch(`/api/v1/foresight/employment?sector=${s}`)).json(), sector);
  assert.equal(await page.locator("#emp-shift tbody tr").count(), empApi.shift_share.cells.length);
  assert.ok(await page.locator("#emp-map path[data-region]").count() >= 13, "the regions are drawn");
  assert.ok(await page.locator("#emp-projection svg path").count() > 0, "projection drawn");
  await shot("18-employment"); await checkWords("18-employment");
  const sheet = await page.evaluate(async () => {
    const h = await fetch(document.querySelector("#emp-sheet-html").href);
    const p = await fetch(document.querySelector("#emp-sheet-pdf").href);
    const bytes = new Uint8Array(await p.arrayBuffer());
    return { htmlStatus: h.status, html: await h.text(), pdfType: p.headers.get("content-type"), pdfHead: String.fromCharCode(...bytes.slice(0, 5)), pdfSize: bytes.length };
  });
  assert.equal(sheet.htmlStatus, 200);
  assert.ok(sheet.html.includes("<svg") && sheet.html.includes("Fiche filière"), "the sheet has its title and charts");
  assert.equal(sheet.pdfType, "application/pdf");
  assert.equal(sheet.pdfHead, "%PDF-");
  assert.ok(sheet.pdfSize > 10000);
  await keepReportTexts(page, "#emp-sheet-pdf", "sector-sheet");

  // The evaluation: ranking with rank intervals as the API gives it, the radar against peers, a
  // cluster's contract and proposed action, its report as HTML and PDF.
  step = "Evaluation";
  await openNav(page, '#/evaluate');
  await page.waitForSelector('#ev-radar[data-ready="true"]', { state: "attached" });
  await page.click("#tab-detail");
  const evApi = await page.evaluate(async () => (await fetch("/api/v1/evaluate?year=2022&draws=2000&sobol_n=200")).json());
  assert.equal(await page.locator("#ev-ranking tbody tr").count(), evApi.clusters.length);
  assert.ok(evApi.clusters.length >= 3);
  const firstRow = await page.locator("#ev-ranking tbody tr").first().locator("td").nth(3).textContent();
  assert.equal(firstRow.replace(/\s/g, ""), `${evApi.clusters[0].rank_interval.p05}–${evApi.clusters[0].rank_interval.p95}`);
  assert.ok(await page.locator("#ev-radar svg path").count() > 0, "radar drawn");
  assert.ok(await page.locator("#ev-ranks svg path").count() > 0, "rank intervals drawn");
  assert.ok(await page.locator("#ev-trend svg path").count() > 0, "trend drawn");
  await shot("19-evaluation"); await checkWords("19-evaluation");
  const last = evApi.clusters[evApi.clusters.length - 1];
  await page.selectOption("#ev-cluster", last.cluster);
  await page.waitForSelector(`#ev-radar[data-ready="true"][data-cluster="${last.cluster}"]`);
  assert.equal(await page.getAttribute("#tab-detail", "aria-selected"), "true", "picking a cluster shows its detail");
  assert.equal(await page.locator("#ev-compliance tbody tr").count(), last.targets.length);
  assert.equal(await page.getAttribute("#ev-action", "data-action"), last.action.action);
  assert.ok((await page.locator("#ev-why .why li").count()) >= 2, "the rating's why");
  const rep = await fetchReport(page, "#ev-report-html", "#ev-report-pdf");
  assert.equal(rep.status, 200);
  assert.ok(rep.html.includes("Rapport d&#39;évaluation") && rep.html.includes("<svg"), "the report has its title and charts");
  assert.equal(rep.type, "application/pdf");
  assert.equal(rep.head, "%PDF-");
  await keepReportTexts(page, "#ev-report-pdf", "cluster-report");

  // The impact study: a Callaway–Sant'Anna job started from the form, its progress, the result as
  // the job's JSON gives it, the event-time chart, the report in both formats; a second job cancelled.
  step = "Impact";
  await openNav(page, '#/impact');
  await page.waitForSelector("#imp-form");
  await page.fill("#imp-bootstrap", "49");
  await page.selectOption("#imp-robustness", "1");
  await page.click("#imp-start");
  await page.waitForSelector('#imp-plot[data-ready="true"]', { timeout: 300000 });
  const jobId = await page.evaluate(() => new URLSearchParams(location.hash.split("?")[1]).get("job"));
  const job = await page.evaluate(async (id) => (await fetch(`/api/v1/impact/jobs/${id}`)).json(), jobId);
  assert.equal(job.state, "done");
  assert.equal(job.result.estimator, "did");
  const simpleCell = await page.locator("#imp-summary tbody tr").first().locator("td").nth(1).textContent();
  const shown = Number(simpleCell.replace(/\s/g, "").replace(",", ".").replace("−", "-"));
  assert.ok(Math.abs(shown - job.result.aggregations.simple.estimate) < 1e-4, `simple ATT shown ${simpleCell} vs ${job.result.aggregations.simple.estimate}`);
  assert.equal(await page.locator("#imp-groups tbody tr").count(), job.result.aggregations.group.terms.length);
  // Robustness: the placebo row, then one row per cohort left out.
  assert.equal(await page.locator("#imp-checks table").nth(1).locator("tbody tr").count(), job.result.robustness.leave_one_out.length);
  assert.match(await page.locator("#imp-checks").textContent(), /Placebo\s:\straitement avancé de 2 ans/);
  assert.ok(await page.locator("#imp-plot svg path").count() > 0, "event-time chart drawn");
  await shot("20-impact"); await checkWords("20-impact");
  const impRep = await fetchReport(page, "#imp-report-html", "#imp-report-pdf");
  assert.equal(impRep.status, 200);
  assert.ok(impRep.html.includes("Évaluation d&#39;impact") && impRep.html.includes("<svg"), "the impact report has its title and chart");
  assert.ok(impRep.html.includes("Robustesse de l&#39;effet global") || impRep.html.includes("Robustesse de l'effet global"), "the report has the robustness checks");
  assert.equal(impRep.type, "application/pdf");
  assert.equal(impRep.head, "%PDF-");
  await keepReportTexts(page, "#imp-report-pdf", "impact-report");
  // Sun & Abraham from the same form: the ATT shown is the job's, with its reading and the
  // cohorts' effects.
  await page.selectOption("#imp-estimator", "sunab");
  await page.selectOption("#imp-by-var", "size_class");
  await page.click("#imp-start");
  await page.waitForSelector('#imp-result[data-estimator="sunab"] #imp-plot[data-ready="true"]', { timeout: 300000 });
  const saId = await page.evaluate(() => new URLSearchParams(location.hash.split("?")[1]).get("job"));
  const sa = (await page.evaluate(async (id) => (await fetch(`/api/v1/impact/jobs/${id}`)).json(), saId)).result;
  assert.equal(sa.estimator, "sunab");
  const attCell = await page.locator("#imp-summary table").nth(1).locator("tbody tr").first().locator("td").nth(1).textContent();
  assert.ok(Math.abs(Number(attCell.replace(/\s/g, "").replace(",", ".").replace("−", "-")) - sa.att.estimate) < 1e-4, `ATT shown ${attCell} vs ${sa.att.estimate}`);
  assert.ok(sa.cohorts.length > 20 && (await page.locator("#imp-cohorts tbody tr").count()) > 0, "cohort effects listed");
  assert.match(await page.locator("#imp-reading").textContent(), /%/);
  // By size class: one row per class, named (TPE first), with the test of their equality.
  await page.waitForSelector("#imp-by tbody tr");
  assert.equal(sa.by.variable, "size_class");
  assert.equal(await page.locator("#imp-by tbody tr").count(), sa.by.groups.length);
  assert.equal((await page.locator("#imp-by tbody tr").first().locator("td").first().textContent()).trim(), "TPE");
  assert.match(await page.locator("#imp-by-test").textContent(), sa.by.equality.stat === null ? /Pas de test/ : /χ² = .* p [=<] /);
  await shot("20-impact-sunab"); await checkWords("20-impact-sunab");
  // The regression by size class, one regression per class (fixest's split=): the job's groups,
  // said to be independent samples.
  await page.selectOption("#imp-estimator", "ols");
  await page.selectOption("#imp-by-mode", "split");
  await page.click("#imp-start");
  await page.waitForSelector('#imp-result[data-estimator="ols"] #imp-by tbody tr', { timeout: 300000 });
  const olsId = await page.evaluate(() => new URLSearchParams(location.hash.split("?")[1]).get("job"));
  const ols = (await page.evaluate(async (id) => (await fetch(`/api/v1/impact/jobs/${id}`)).json(), olsId));
  assert.equal(ols.params.by_mode, "split");
  assert.equal(ols.result.by.method, "split");
  assert.equal(await page.locator("#imp-by tbody tr").count(), ols.result.by.groups.length);
  assert.match(await page.locator("#imp-by").textContent(), /estimé sur ses propres entreprises/);
  await shot("20-impact-ols-split"); await checkWords("20-impact-ols-split");
  const cancelled = await page.evaluate(async () => {
    const csrf = (await (await fetch("/api/v1/me")).json()).csrf;
    const h = { "Content-Type": "application/json", "X-CSRF-Token": csrf };
    const started = await (await fetch("/api/v1/impact/jobs", { method: "POST", headers: h, body: JSON.stringify({ bootstrap: 20000, seed: 3 }) })).json();
    await fetch(`/api/v1/impact/jobs/${started.id}`, { method: "DELETE", headers: h });
    for (let i = 0; i < 600; i++) {
      const j = await (await fetch(`/api/v1/impact/jobs/${started.id}`)).json();
      if (j.state !== "running") return j.state;
      await new Promise((r) => setTimeout(r, 200));
    }
    return "still running";
  });
  assert.equal(cancelled, "cancelled");

  // A page whose data arrives after the user has moved on is dropped: the selection page's answers
  // are held back 2 s, the user goes to the cluster list meanwhile, and stays there.
  step = "A slow page does not replace a newer one";
  await page.route("**/api/v1/select/calls/**", async (route) => { await new Promise((r) => setTimeout(r, 2000)); await route.continue(); });
  await page.evaluate(() => { location.hash = "#/select"; });
  await page.waitForTimeout(200);
  await openNav(page, '#/clusters');
  await page.waitForSelector('[data-page="pageClusters"] table');
  await page.waitForTimeout(3000);
  assert.equal(await page.locator('[data-page="pageSelect"]').count(), 0, "the late selection page did not replace the cluster list");
  assert.equal(await page.locator('[data-page="pageClusters"] table').count(), 1);
  await page.unroute("**/api/v1/select/calls/**");

  // Logs out and in as another account.
  const switchUser = async (name, secret) => {
    await page.click("#logout");
    await page.waitForSelector("#login-name");
    await page.fill("#login-name", name);
    await page.fill("#login-password", secret);
    await page.click("button[type=submit]");
  };

  // A reviewer sees only the proposals assigned to them, and no one else's name.
  step = "A reviewer sees only the proposals assigned to them, and no one else's name";
  execFileSync(poles, ["-q", "--db", db, "user", "add", "expert1", "--role", "reviewer", "--scope", "demo-expert-001", "--password", "un expert du jury 2026"]);
  await switchUser("expert1", "un expert du jury 2026");
  await page.waitForSelector('[data-page="pageMap"] h1');
  await page.waitForSelector('nav a[href="#/my-reviews"]:not([hidden])');
  assert.ok(await page.locator('nav a[href="#/select"]').isHidden(), "reviewers have no selection board");
  await openNav(page, '#/my-reviews');
  await page.waitForSelector('[data-page="pageMyReviews"] h1');
  const mine = await page.evaluate(async () => (await (await fetch("/api/v1/select/my-proposals")).json()).items.length);
  assert.ok(mine > 0, "demo-expert-001 has reviews in the demo");
  assert.equal(await page.locator('[data-page="pageMyReviews"] tbody tr').count(), mine);
  assert.ok(!(await page.locator("#main").textContent()).includes("demo-expert-002"), "no other reviewer named");
  await shot("16-my-reviews"); await checkWords("16-my-reviews");
  await switchUser("admin", password);
  await page.waitForSelector("#nav-account:not([hidden])");

  // A member agrees to be listed on its cluster's public page, from its organisation's page; the
  // public portal then names it (before, it did not).
  step = "A member agrees to be listed on its cluster's public page";
  const ms = await page.evaluate(async () => (await (await fetch("/api/v1/membership?limit=500")).json()).items);
  const unlisted = ms.find((m) => !m.end_date && m.listed !== true
    && !ms.some((o) => o !== m && o.organisation_id === m.organisation_id && !o.end_date));
  assert.ok(unlisted, "the demo has a running membership not listed");
  const orgName = await page.evaluate(async (id) => (await (await fetch(`/api/v1/organisation/${encodeURIComponent(id)}`)).json()).name, unlisted.organisation_id);
  const publicPage = async () => (await (await fetch(`${base}/public/clusters/${encodeURIComponent(unlisted.cluster_id)}`)).text());
  assert.ok(!(await publicPage()).includes(orgName), "not listed before it agrees");
  execFileSync(poles, ["-q", "--db", db, "user", "add", "member1", "--role", "member", "--scope", unlisted.organisation_id, "--password", "un membre qui consent 2026"]);
  await switchUser("member1", "un membre qui consent 2026");
  await page.waitForSelector('[data-page="pageMap"] h1');
  await page.goto(`${base}/#/organisation/${encodeURIComponent(unlisted.organisation_id)}`);
  await page.waitForSelector(".consent input");
  await page.locator(".consent input").first().check();
  await page.waitForFunction(() => document.querySelector(".consent")?.textContent.includes("Enregistré"));
  assert.ok((await publicPage()).includes(orgName), "listed on the public page once it agreed");
  await shot("16b-consent"); await checkWords("16b-consent");
  await switchUser("admin", password);
  await page.waitForSelector("#nav-account:not([hidden])");

  // An SME's journey on the public portal, without an account: it finds a cluster for its theme,
  // reads its page, runs the partner finder, asks the cluster for support; the cluster's manager
  // answers in its inbox; the firm reads the answer through its tracking link. Then every portal
  // page, in both languages at 1440 and 390 px: axe, no page-wide scrolling, screenshots.
  step = "An SME's journey on the public portal";
  const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const v = await visitor.newPage();
  v.setDefaultTimeout(90000);
  v.on("pageerror", (e) => errors.push(`portal: ${e}`));
  v.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`portal: ${m.text()}`); });
  v.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`portal: ${r.status()} ${r.url()}`); });
  await v.goto(`${base}/public`);
  const theme = await v.$eval("#theme option:nth-child(2)", (o) => o.value);
  await v.selectOption("#theme", theme);
  await Promise.all([v.waitForURL(/theme=/), v.click("form.portal-search button[type=submit]")]);
  const clusterHref = await v.$eval(".portal-cards .fr-card__title a", (a) => a.getAttribute("href"));
  const smeCluster = decodeURIComponent(clusterHref.split("/").pop().split("?")[0]);
  await Promise.all([v.waitForURL(`**${clusterHref}`), v.click(".portal-cards .fr-card__title a")]);
  await v.waitForSelector("h1");
  await Promise.all([v.waitForURL(/\/public\/partners/), v.click('.portal-nav a[href="/public/partners"]')]);
  await v.selectOption("#theme", theme);
  await Promise.all([v.waitForURL(/theme=/), v.click("form.portal-search button[type=submit]")]);
  await v.waitForSelector("#poles");
  assert.ok(await v.locator(".portal-cards .fr-card").count() >= 1, "the finder suggests a cluster for the theme");
  await v.screenshot({ path: join(shots, "30-partners.png"), fullPage: true });
  await v.goto(`${base}${clusterHref}`);
  await Promise.all([v.waitForURL(/\/public\/support\?cluster=/), v.click('a[href^="/public/support?cluster="]')]);
  await v.fill("#name", "Camille Martin");
  await v.fill("#siren", "552081317");
  await v.fill("#email", "camille@exemple.fr");
  await v.selectOption("#region", { index: 1 });
  const need = "Nous cherchons un laboratoire pour tester un capteur de vibrations.";
  await v.fill("#need", need);
  await v.waitForTimeout(3500);  // a form read for less than 3 s is a robot's
  await Promise.all([v.waitForLoadState(), v.click("form.portal-form button[type=submit]")]);
  const tracking = await v.$eval('a[href^="/public/support/"]', (a) => a.getAttribute("href"));
  assert.match(tracking, /^\/public\/support\/[0-9a-f]{64}$/);
  execFileSync(poles, ["-q", "--db", db, "user", "add", "manager1", "--role", "cluster_manager", "--scope", smeCluster, "--password", "une chargée de mission du pôle 2026"]);
  await switchUser("manager1", "une chargée de mission du pôle 2026");
  await page.waitForSelector('[data-page="pageMap"] h1');
  await page.evaluate(() => { location.hash = "#/support"; });
  await page.waitForSelector("#support-table textarea");
  assert.ok((await page.textContent("#support-table")).includes(need), "the request is in the manager's inbox");
  const answer = "Bonjour, notre chargée de mission vous appelle cette semaine.";
  await page.fill("#support-table textarea", answer);
  await page.click('#support-table button:text("Répondre")');
  await page.waitForFunction(() => document.querySelector("#support-table")?.textContent.includes("répondue"));
  await shot("31-support-inbox"); await checkWords("31-support-inbox");
  await v.goto(`${base}${tracking}`);
  assert.ok((await v.textContent("main")).includes(answer), "the firm reads the answer through its link");
  await switchUser("admin", password);
  await page.waitForSelector("#nav-account:not([hidden])");

  step = "Every portal page in both languages and widths";
  const someProject = await v.evaluate(async () => (await (await fetch("/api/public/v1/datasets/projects")).json()).rows?.[0]?.id
    ?? (await (await fetch("/public/data/projects.json")).json())[0]?.id);
  const portalPages = [["directory", "/public"], ["directory-search", `/public?theme=${encodeURIComponent(theme)}`],
    ["cluster", clusterHref], ["partners", `/public/partners?theme=${encodeURIComponent(theme)}&naf=30.30Z`],
    ["calls", "/public/calls"], ["support", `/public/support?cluster=${encodeURIComponent(smeCluster)}`],
    ["tracking", tracking], ["data", "/public/data"]];
  if (someProject) portalPages.push(["project", `/public/projects/${encodeURIComponent(someProject)}`]);
  const portalProblems = [];
  for (const width of [1440, 390]) {
    await v.setViewportSize({ width, height: 900 });
    for (const lng of ["fr", "en"]) {
      for (const [name, path] of portalPages) {
        step = `portal ${name} (${lng}, ${width} px)`;
        const url = `${base}${path}${lng === "en" ? (path.includes("?") ? "&" : "?") + "lang=en" : ""}`;
        const res = await v.goto(url);
        if (res.status() !== 200) { portalProblems.push(`${step}: ${res.status()}`); continue; }
        const axe = await new AxeBuilder({ page: v }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        for (const x of axe.violations.filter((y) => ["serious", "critical"].includes(y.impact))) {
          portalProblems.push(`${step}: axe ${x.id} (${x.impact}) ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
        }
        if ((await v.getAttribute("html", "lang")) !== lng) portalProblems.push(`${step}: html lang is not ${lng}`);
        const scroll = await v.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width + 1) portalProblems.push(`${step}: the page scrolls sideways (${scroll} px)`);
        await v.screenshot({ path: join(shots, `portal-${width}`, `${name}-${lng}.png`), fullPage: width === 390 });
      }
    }
  }
  assert.deepEqual(portalProblems, [], portalProblems.join("\n"));
  await visitor.close();

  // Global search: typing a cluster's acronym lists it; Enter opens its profile.
  step = "Global search";
  const someCluster = (await page.evaluate(async () => (await (await fetch("/api/v1/stats/clusters?year=2024")).json()).clusters[1]));
  await page.fill("#search-input", someCluster.acronym);
  await page.waitForSelector('#search-list li[data-kind="cluster"]');
  await page.press("#search-input", "ArrowDown");
  await page.press("#search-input", "Enter");
  await page.waitForSelector('[data-page="pageCluster"]');
  assert.ok(page.url().includes(encodeURIComponent(someCluster.id)));
  await page.fill("#search-input", "démo 0001");
  await page.waitForSelector('#search-list li[data-kind="organisation"]');
  await page.press("#search-input", "Escape");

  // Comparison: two clusters side by side, in the URL.
  step = "Comparison";
  const two = (await page.evaluate(async () => (await (await fetch("/api/v1/stats/clusters?year=2024")).json()).clusters.slice(0, 2).map((c) => c.id)));
  await page.evaluate((ids) => { location.hash = `#/compare?clusters=${ids.join(",")}&regions=11,84`; }, two);
  await page.waitForSelector('#cmp-radar[data-ready="true"]');
  assert.equal(await page.locator("#cmp-figures thead th").count(), 3);
  assert.ok(await page.locator("#cmp-indicators tbody tr").count() > 20);
  assert.equal(await page.locator("#cmp-regions thead th").count(), 3);
  await shot("21-compare"); await checkWords("21-compare");

  // Every page, both languages, 1440 and 390 px: axe (not twice at 390 px), vocabulary, no
  // page-wide scrolling, screenshots.
  step = "Every page in both languages and widths";
  const orgId = (await page.evaluate(async () => (await (await fetch("/api/v1/organisation?limit=1&kind=company")).json()).items[0].id));
  const projId = (await page.evaluate(async () => (await (await fetch("/api/v1/project?limit=1")).json()).items[0].id));
  const pages = [["map", "#/map", "pageMap"], ["clusters", "#/clusters", "pageClusters"], ["cluster", `#/cluster/${encodeURIComponent(profileId)}`, "pageCluster", "#profile-evaluation .why"],
    ["organisation", `#/organisation/${orgId}`, "pageOrganisation"], ["project", `#/project/${projId}`, "pageProject"],
    ["compare", `#/compare?clusters=${two.join(",")}&regions=11,84`, "pageCompare", '#cmp-radar[data-ready="true"]'], ["glossary", "#/glossary", "pageGlossary"],
    ["network", "#/network", "pageNetwork", '#net-graph[data-ready="true"]'], ["pipeline", "#/pipeline", "pagePipeline"], ["services", "#/services", "pageServices"],
    ["cofunding", "#/cofunding", "pageCofunding", '#cof-years[data-ready="true"]'], ["evaluate-characterisation", "#/evaluate?tab=characterisation", "pageEvaluate", "#chr-strategies"],
    ["employment", "#/employment", "pageEmployment"], ["evaluate", "#/evaluate", "pageEvaluate"], ["evaluate-detail", `#/evaluate?cluster=${encodeURIComponent(profileId)}&tab=detail`, "pageEvaluate"],
    ["impact", "#/impact", "pageImpact"], ["select", "#/select", "pageSelect"], ["import", "#/import", "pageImport"], ["account", "#/account", "pageAccount"],
    ["users", "#/admin/users", "pageUsers"], ["audit", "#/admin/audit", "pageAudit"], ["requests", "#/requests", "pageRequests"]];
  const spent = { language: 0, navigation: 0, axe: 0, scan: 0, screenshot: 0 };
  let t0 = Date.now();
  const perPage = {};  // navigation time of each page, over its four visits
  const lap = (what, name) => { const t = Date.now(); spent[what] += t - t0; if (name) perPage[name] = (perPage[name] || 0) + t - t0; t0 = t; };
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const lng of ["fr", "en"]) {
      // The switch itself is tested in the journey; here it is pressed directly (at 390 px the
      // button sits in the closed menu, where a click would wait for its 30 s timeout).
      if ((await page.getAttribute("html", "lang")) !== lng) { await page.evaluate(() => document.getElementById("lang").click()); await page.waitForFunction((l) => document.documentElement.lang === l, lng); }
      lap("language");
      for (const [name, hash, pageName, ready] of pages) {
        step = `${name} (${lng}, ${width} px)`;
        await page.evaluate((h) => { location.hash = h; }, hash);
        await page.waitForSelector(`[data-page="${pageName}"]`);
        if (ready) await page.waitForSelector(ready);
        await page.waitForTimeout(150);
        lap("navigation", name);
        // axe in both languages at 1440 px and in French at 390 px: the English page at 390 px
        // has the French one's structure and colours (its words are scanned below).
        if (width === 1440 || lng === "fr") {
          const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).disableRules(["region"]).analyze();
          for (const v of axe.violations.filter((x) => ["serious", "critical"].includes(x.impact))) {
            problems.push(`${step}: axe ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
          }
        }
        lap("axe");
        const { text, misses } = await scan();
        for (const m of misses) problems.push(`${step}: code without a label ${m}`);
        wordProblems(step, text, lng);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scroll > width + 1) problems.push(`${step}: the page scrolls sideways (${scroll} px)`);
        lap("scan");
        await page.screenshot({ path: join(shots, `pages-${width}`, `${name}-${lng}.png`), fullPage: width === 390 });
        lap("screenshot");
      }
    }
  }
  // The reports kept above, as printed: the same scan on their text.
  assert.equal(reportTexts.length, 6, "three reports in two languages");
  for (const { name, lng, text } of reportTexts) {
    wordProblems(`report ${name} (${lng}, PDF)`, text, lng);
  }
  console.log(`every page: ${Object.entries(spent).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")}`);
  console.log(`slowest navigations: ${Object.entries(perPage).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")}`);
  assert.deepEqual(problems, [], problems.join("\n"));
  await page.setViewportSize({ width: 1280, height: 900 });
  if ((await page.getAttribute("html", "lang")) !== "fr") await page.click("#lang");

  // Tablet width.
  step = "Tablet width";
  // Below 992 px the navigation is in the menu the header's button opens (Escape closes it).
  await page.setViewportSize({ width: 800, height: 1100 });
  await page.click("#button-menu");
  await page.waitForSelector("#modal-menu.fr-modal--opened");
  assert.equal(await page.getAttribute("#button-menu", "aria-expanded"), "true");
  await page.click('#nav a[href="#/clusters"]');
  await page.waitForSelector("#modal-menu:not(.fr-modal--opened)", { state: "attached" });
  await page.waitForSelector('[data-page="pageClusters"] table');
  await shot("12-tablet");

  await page.click("#button-menu");
  await page.click('.fr-header__menu-links button:text("Se déconnecter")');
  await page.waitForSelector("#login-name");
  assert.deepEqual(errors, [], "no script error in the browser");
  console.log(`dashboard: every page checked; screenshots in ${shots}`);
} catch (e) {
  failed = true;
  console.error(`e2e_dashboard FAILED at step "${step}": ${e.message}`);
  console.error(e);
  if (errors.length) console.error("browser errors:", errors);
  try { await (await browser.contexts()[0]?.pages()[0])?.screenshot({ path: join(shots, "failure.png"), fullPage: true }); } catch { /* best effort */ }
} finally {
  await browser.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
