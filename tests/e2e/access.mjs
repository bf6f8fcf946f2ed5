// Browser test of who sees what (issue #17): once the State publishes 2022's evaluation, a
// cluster manager and a region officer see their clusters' evaluation and report in the
// dashboard, a member firm reads its own digital diagnostic, and none of them reads another
// firm's figures. Debian's chromium driven by playwright-core on a fresh small demo (seed 2026).
// Exits 77 (skipped) when chromium or playwright-core is missing.
// Usage: node access.mjs POLES_BINARY WEB_ROOT SCREENSHOT_DIR
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const [poles, webRoot, shots] = process.argv.slice(2).map((p) => resolve(p));
const chromium = "/usr/bin/chromium";
const require = createRequire(join(webRoot, "package.json"));
let playwright;
try { playwright = require("playwright-core"); } catch { console.log("SKIP: playwright-core not installed (cd web && npm ci)"); process.exit(77); }
if (!existsSync(chromium)) { console.log("SKIP: /usr/bin/chromium missing (scripts/install-deps)"); process.exit(77); }

const CLUSTER = "demo-numerique-11-03", REGION = "11", OTHER = "demo-aero-24-01", YEAR = 2022;
const password = "access-e2e-password-2026";
const dir = mkdtempSync(join(tmpdir(), "poles-access-e2e-"));
const db = join(dir, "e2e.db");
mkdirSync(shots, { recursive: true });
const run = (...args) => execFileSync(poles, ["-q", "--db", db, ...args], { env: { ...process.env, POLES_PASSWORD: password } });
run("demo", "--scale", "small", "--seed", "2026");
const freePort = () => new Promise((ok) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
const port = await freePort();
const server = spawn(poles, ["--db", db, "serve", "--listen", `127.0.0.1:${port}`, "--web-root", webRoot], { stdio: ["ignore", "pipe", "inherit"] });
await new Promise((ok, ko) => {
  server.stdout.on("data", (d) => { if (String(d).includes("log in as")) ok(); });
  server.on("exit", (code) => ko(new Error(`poles serve exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; ++i) {  // listening?
  try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* not yet */ }
  if (i > 400) throw new Error("the server did not start");
  await new Promise((r) => setTimeout(r, 50));
}
const api = async (token, method, path) => {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}` } });
  return { status: r.status, body: r.headers.get("content-type")?.includes("json") ? await r.json() : await r.text() };
};
const tokenOf = async (name) => {
  const login = await fetch(`${base}/api/v1/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name, password }) });
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const { csrf } = await login.json();
  const t = await fetch(`${base}/api/v1/tokens`, { method: "POST", headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf }, body: JSON.stringify({ label: "e2e" }) });
  return (await t.json()).token;
};

// The accounts, and the State publishing the year.
run("user", "add", "e2e-state", "--role", "state");
const state = await tokenOf("e2e-state");
const diags = (await api(state, "GET", `/api/v1/diagnostic?cluster_id=${CLUSTER}&limit=1000`)).body.items;
const firm = diags[0].organisation_id;  // a firm this cluster diagnosed: the member account
run("user", "add", "e2e-manager", "--role", "cluster_manager", "--scope", CLUSTER);
run("user", "add", "e2e-region", "--role", "region", "--scope", REGION);
run("user", "add", "e2e-member", "--role", "member", "--scope", firm);
const published = await api(state, "POST", `/api/v1/evaluate/publications/${YEAR}?draws=200&seed=3&sobol_n=0`);
assert.equal(published.status, 201, JSON.stringify(published.body));
const regionClusters = (await api(state, "GET", `/api/v1/cluster?region=${REGION}`)).body.items.map((c) => c.id);
const clusterName = (await api(state, "GET", `/api/v1/cluster/${CLUSTER}`)).body.name;

const browser = await playwright.chromium.launch({
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
let failed = false;
let step = "start";
try {
  const login = async (name) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(90000);
    await page.goto(base + "/");
    await page.waitForSelector("#login-name");
    await page.fill("#login-name", name);
    await page.fill("#login-password", password);
    await page.click("button[type=submit]");
    await page.waitForSelector("#logout");
    return page;
  };
  // What the logged-in page fetches with its own session (answers: status and body).
  const fetchIn = (page, path) => page.evaluate(async (p) => {
    const r = await fetch(p);
    const text = await r.text();
    return { status: r.status, text };
  }, path);

  step = "state: the decision after the published evaluation";
  {
    const page = await login("e2e-state");
    await page.goto(`${base}/#/evaluate?year=${YEAR}&cluster=${CLUSTER}&tab=detail`);
    await page.waitForSelector("#dec-form");
    assert.equal(await page.locator("#dec-none").count(), 1, "no decision yet");
    // A document link that is not https:// is refused, with the rule in French; nothing written.
    await page.fill("#dec-text", "Revue à 18 mois : plan d'action demandé sur l'adhésion.");
    await page.fill("#dec-owner", "DGE, bureau des pôles");
    await page.click("#dec-docs + button");
    await page.fill("#dec-docs [data-doc=title]", "Courrier");
    await page.fill("#dec-docs [data-doc=url]", "javascript:alert(1)");
    await page.click("#dec-record");
    await page.waitForSelector("#dec-form .problem");
    assert.ok((await page.locator("#dec-form .problem").textContent()).includes("une adresse https:// ou http://"));
    await page.fill("#dec-docs [data-doc=url]", "https://example.gouv.fr/courrier.pdf");
    await page.click("#dec-record");
    await page.waitForSelector("#dec-view");
    assert.ok((await page.locator("#dec-view").textContent()).includes("plan d'action demandé"));
    assert.equal(await page.locator("#dec-view a[href='https://example.gouv.fr/courrier.pdf']").count(), 1);
    await page.locator("#ev-decision").screenshot({ path: join(shots, "decision-state-fr.png") });
    // The phase that ends with the year: four years for the State (the unpublished ones computed).
    await page.waitForSelector("#ph-table");
    assert.equal(await page.locator("#ph-table tbody tr").count(), 4);
    assert.ok((await page.locator("#ev-phase").textContent()).includes("calculée sur les données du jour"));
    await page.locator("#ev-phase").screenshot({ path: join(shots, "phase-state-fr.png") });
    // The list of decisions, with its follow-up (pending until a later year is published).
    await page.goto(`${base}/#/evaluate?year=${YEAR}&tab=decisions`);
    await page.waitForSelector("#dec-table");
    assert.ok((await page.locator("#dec-table").textContent()).includes("en attente de l'évaluation suivante"));
    await page.locator("#ev-decisions").screenshot({ path: join(shots, "decisions-list-fr.png") });
    await page.close();
  }

  for (const [name, allowed] of [["e2e-manager", [CLUSTER]], ["e2e-region", regionClusters]]) {
    step = `${name}: the published evaluation`;
    const page = await login(name);
    assert.ok(await page.locator('a[href="#/evaluate"]').isVisible(), "the evaluation is in the menu");
    await page.goto(`${base}/#/evaluate?year=${YEAR}&cluster=${CLUSTER}`);
    await page.waitForSelector("#ev-compliance");
    const rows = await page.locator("#ev-ranking table tbody tr").count();
    assert.ok(rows >= 1 && rows <= allowed.length, `${rows} clusters ranked, at most ${allowed.length} in scope`);
    assert.ok((await page.locator("#ev-ranking").textContent()).includes(clusterName));
    assert.ok((await page.locator("#ev-compliance").textContent()).includes(clusterName));
    step = `${name}: the phase, published years only`;
    await page.waitForSelector("#ph-table");
    assert.equal(await page.locator("#ph-table tbody tr").count(), 1, "only the published year");
    assert.ok(!(await page.locator("#ph-table").textContent()).includes("calculée"), "no draft year");
    step = `${name}: the State's decision`;
    await page.waitForSelector("#dec-view");
    assert.equal(await page.locator("#dec-form").count(), 0, "only the State decides");
    if (name === "e2e-manager") {
      await page.fill("#dec-answer-input", "Plan adopté par le conseil d'administration.");
      await page.click("#dec-send");
      await page.waitForSelector("#dec-answer");
      await page.locator("#ev-decision").screenshot({ path: join(shots, "decision-manager-fr.png") });
    } else {
      assert.ok((await page.locator("#dec-answer").textContent()).includes("Plan adopté"), "the region reads the answer");
      assert.equal(await page.locator("#dec-answer-form").count(), 0, "the region does not answer");
      // In English on a phone.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => localStorage.setItem("poles.lang", "en"));
      await page.reload();
      await page.waitForSelector("#dec-view");
      assert.ok((await page.locator("#ev-decision").textContent()).includes("The State's decision after the"));
      await page.locator("#ev-decision").screenshot({ path: join(shots, "decision-region-en-390.png") });
      await page.waitForSelector("#ph-table");
      await page.locator("#ev-phase").screenshot({ path: join(shots, "phase-region-en-390.png") });
      await page.evaluate(() => localStorage.setItem("poles.lang", "fr"));
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.reload();
      await page.waitForSelector("#dec-view");
    }
    await page.screenshot({ path: join(shots, `access-${name}-evaluation.png`), fullPage: true });
    step = `${name}: the report`;
    const report = await fetchIn(page, await page.locator("#ev-report-html").getAttribute("href"));
    assert.equal(report.status, 200);
    assert.ok(report.text.includes(clusterName));
    step = `${name}: nothing of the others`;
    const other = await fetchIn(page, `/api/v1/reports/cluster/${OTHER}?year=${YEAR}&format=html`);
    assert.equal(other.status, 404, "another region's cluster report is not found");
    const ev = JSON.parse((await fetchIn(page, `/api/v1/evaluate?year=${YEAR}`)).text);
    assert.ok(ev.clusters.every((c) => allowed.includes(c.cluster)), "only clusters in scope are ranked");
    const d = JSON.parse((await fetchIn(page, "/api/v1/diagnostic?limit=1000")).text);
    assert.ok(d.items.length > 0 && d.items.every((x) => allowed.includes(x.cluster_id)), "diagnostics of its clusters only");
    assert.equal((await fetchIn(page, "/api/v1/firm_year?limit=5")).status, 403, "no firm microdata");
    if (name === "e2e-region") {
      step = `${name}: its co-funding`;
      await page.goto(`${base}/#/cofunding`);
      await page.waitForSelector('#cof-years[data-ready="true"]');
      assert.equal(await page.locator("#cof-region").count(), 0, "a region sees its own region, no choice");
      const own = JSON.parse((await fetchIn(page, `/api/v1/regions/${REGION}/cofunding?from=2013&to=2022`)).text);
      assert.deepEqual(own.published_years, [YEAR], "the published year only");
      const rated = own.clusters.filter((c) => c.home && c.evaluations.length);
      assert.ok(rated.length >= 1, "its clusters' published ratings");
      assert.ok(own.clusters.filter((c) => !c.home).every((c) => c.evaluations.length === 0), "no rating of another region's cluster");
      assert.ok((await page.locator("#cof-table").textContent()).includes(rated[0].name), "its rated cluster listed");
      await page.screenshot({ path: join(shots, "cofunding-region-fr.png"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => localStorage.setItem("poles.lang", "en"));
      await page.reload();
      await page.waitForSelector('#cof-years[data-ready="true"]');
      assert.ok((await page.locator("h1").textContent()).startsWith("Co-funding of the Region"));
      await page.screenshot({ path: join(shots, "cofunding-region-en-390.png"), fullPage: true });
      await page.evaluate(() => localStorage.setItem("poles.lang", "fr"));
      await page.setViewportSize({ width: 1280, height: 900 });
      assert.equal((await fetchIn(page, "/api/v1/regions/84/cofunding")).status, 403, "not another Region's money");
    }
    await page.close();
  }

  step = "member: its own diagnostic";
  const page = await login("e2e-member");
  const mine = JSON.parse((await fetchIn(page, `/api/v1/diagnostic?organisation_id=${encodeURIComponent(firm)}`)).text);
  assert.ok(mine.items.length >= 1, "the member reads its own diagnostic");
  await page.goto(`${base}/#/organisation/${encodeURIComponent(firm)}`);
  await page.waitForSelector("#page h1");
  await page.screenshot({ path: join(shots, "access-member.png"), fullPage: true });
  step = "member: nothing of other firms";
  const all = JSON.parse((await fetchIn(page, "/api/v1/diagnostic?limit=1000")).text);
  assert.ok(all.items.every((x) => x.organisation_id === firm), "no other firm's diagnostic");
  const sp = JSON.parse((await fetchIn(page, "/api/v1/service_participant?limit=1000")).text);
  assert.ok(sp.items.every((x) => x.organisation_id === firm), "no other firm's financing raised");
  const otherDiag = diags.find((x) => x.organisation_id !== firm);
  assert.equal((await fetchIn(page, `/api/v1/diagnostic/${encodeURIComponent(otherDiag.organisation_id)}/${otherDiag.date}`)).status, 404);
  assert.equal((await fetchIn(page, "/api/v1/firm_year?limit=5")).status, 403);
  assert.equal((await fetchIn(page, `/api/v1/evaluate?year=${YEAR}`)).status, 403);
  console.log("access e2e: manager and region see their published evaluation and report; the member its diagnostic; nobody another firm's figures");
} catch (e) {
  failed = true;
  console.error(`e2e_access FAILED at step "${step}": ${e.message}`);
  console.error(e);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
