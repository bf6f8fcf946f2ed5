// Golden answers of every API route on the `small` demo (seed 2026).
//
//   node tests/golden/golden.mjs POLES_BINARY SOURCE_DIR WORK_DIR [--update] [--only REGEX]
//
// Creates the small demo in WORK_DIR, starts `poles serve` on it, calls every case below and
// compares each answer (status, media type, body) with tests/golden/answers/<case>.json. Without
// --update any difference fails the run and is printed; with --update the files are rewritten
// (then review them with `git diff tests/golden`). `scripts/update-golden` runs the update.
//
// The run also fails when a route of the OpenAPI document has no case (every route is pinned),
// and when an answer does not validate against the schema the document declares for it.
// Values that change from run to run (tokens, CSRF, timestamps, durations) are replaced by
// "<volatile>" before comparing; nothing else is.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { validatorFor } from './schema.mjs';

const [poles, sourceDir, workDir] = process.argv.slice(2);
const update = process.argv.includes('--update');
// --only REGEX: compare (or rewrite) only the cases whose name matches (coverage is still checked).
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new RegExp(process.argv[onlyArg + 1]) : null;
if (!poles || !sourceDir || !workDir) {
  console.error('usage: golden.mjs POLES_BINARY SOURCE_DIR WORK_DIR [--update]');
  process.exit(2);
}
const answersDir = path.join(sourceDir, 'tests/golden/answers');
fs.mkdirSync(workDir, { recursive: true });
fs.mkdirSync(answersDir, { recursive: true });

// --- the demo and its accounts ------------------------------------------------------------
const db = path.join(workDir, 'golden.db');
for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.admin-password`]) fs.rmSync(f, { force: true });
const run = (args, env = {}) => {
  const r = spawnSync(poles, ['--db', db, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`poles ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
run(['demo', '--scale', 'small', '--seed', '2026', '--quiet']);
const password = 'golden-answers-password-2026';
const accounts = {
  admin: ['admin', ''],
  state: ['state', ''],
  reviewer: ['reviewer', 'demo-expert-001'],
  manager: ['cluster_manager', 'demo-aero-24-01'],
  member: ['member', 'siren:310000039'],
};
for (const [name, [role, scope]] of Object.entries(accounts)) {
  const args = ['user', 'add', `golden-${name}`, '--role', role];
  if (scope) args.push('--scope', scope);
  run(args, { POLES_PASSWORD: password });
}

const port = await new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
// A fixed public address: the portal's absolute links (canonical, sitemap, feed) do not depend on
// the port drawn.
const server = spawn(poles, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--web-root',
  path.join(sourceDir, 'web'), '--public-url', 'https://poles.example.gouv.fr'],
{ stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stdout.on('data', (d) => { serverLog += d; });
server.stderr.on('data', (d) => { serverLog += d; });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; ++i) {
  try {
    if ((await fetch(`${base}/api/v1/health`)).ok) break;
  } catch { /* not listening yet */ }
  if (i > 200) throw new Error(`the server did not start:\n${serverLog}`);
  await new Promise((r) => setTimeout(r, 50));
}

// Bearer tokens of each account (login is itself a case below, with the admin's session).
const tokens = {};
for (const name of Object.keys(accounts)) {
  const login = await fetch(`${base}/api/v1/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `golden-${name}`, password }),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf } = await login.json();
  const t = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ label: 'golden' }),
  });
  tokens[name] = (await t.json()).token;
}

// --- the cases ----------------------------------------------------------------------------
const C = 'demo-aero-24-01';
const ORG = 'siren:310000039';
const PARTNER = 'demo-org-00038';  // in the most projects of 2015–2020
const PRJ = 'demo-prj-00001';
const CALL = 'demo-call-2020';
const SECTOR = '30';
const PORTAL_PROJECT = 'demo-prj-00001';
const PRIVATE_PROJECT = 'demo-prj-00004';
const entityRows = {
  cluster: { id: 'golden-cluster', name: 'Pôle doré', region: '84', scale: 'regional' },
  cluster_label: { cluster_id: 'golden-cluster', phase: 5, start_year: 2027, end_year: 2030 },
  organisation: { id: 'golden-org', name: 'Organisation dorée', kind: 'research', commune: '69123' },
  membership: { organisation_id: ORG, cluster_id: C, start_date: '2026-01-01' },
  member_census: { year: 2024, cluster_id: C, organisation_id: ORG },  // released: read, never written row by row
  project: { id: 'golden-prj', acronym: 'GOLD', programme: 'FUI', status: 'idea' },
  project_label: { project_id: 'demo-prj-00002', cluster_id: 'demo-bois-11-12', date: '2026-01-02' },
  project_event: { project_id: PRJ, status: 'abandoned', date: '2026-01-03' },
  participation: { project_id: PRJ, organisation_id: 'demo-org-00002', role: 'subcontractor' },
  result: { id: 'golden-result', project_id: PRJ, kind: 'patent', date: '2026-01-04' },
  service: { id: 'golden-service', cluster_id: C, kind: 'training', date: '2026-01-05' },
  service_participant: { service_id: 'demo-svc-000001', organisation_id: ORG, satisfaction: 4 },
  diagnostic: { organisation_id: ORG, date: '2026-01-06', score: 55 },
  contract: { id: 'golden-contract', cluster_id: C, start_year: 2027, end_year: 2030 },
  contract_target: { contract_id: 'golden-contract', indicator: 'members', year: 2027, value: 100, direction: 'higher' },
  cluster_budget: { cluster_id: C, year: 2030, total: 1000000 },
  assessment: { cluster_id: C, year: 2030, criterion: 'structure', evaluator: 'golden', score: 3, justification: 'Cas de test' },
  call: { id: 'golden-call', programme: 'FUI', title: 'Appel doré', budget: 1000000 },
  proposal: { id: 'golden-prop', call_id: 'golden-call', applicant_id: ORG, title: 'Proposition', requested_aid: 100000 },
  reviewer: { id: 'golden-expert', name: 'Experte dorée' },
  assignment: { proposal_id: 'golden-prop', reviewer_id: 'golden-expert' },
  review: { proposal_id: 'golden-prop', reviewer_id: 'golden-expert', criterion: 'quality', score: 7 },
  decision: { proposal_id: 'golden-prop', decision: 'funded', aid: 50000 },
  firm_year: { siren: '732829320', year: 2030, headcount: 12 },
  employment: { level: 'region', code: '84', sector: '30', year: 2030, jobs: 1000 },
  national_figure: { indicator: 'members', year: 2030, statistic: 'median', value: 120, source: 'Bilan doré' },
  truth: { key: 'golden.truth', value: 1 },
  territory: { level: 'department', code: '2A', name: 'Corse-du-Sud (doré)' },
  funder: { id: 'golden-funder', name: 'Métropole dorée', kind: 'local_authority' },
  programme: { code: 'GOLDEN', name: 'Programme doré', scope: 'regional', funder_id: 'golden-funder' },
  project_funding: { project_id: PRJ, funder_id: 'golden-funder', amount: 1000, instrument: 'grant' },
  commune: { code: '2A900', name: 'Commune dorée', kind: 'commune', postcodes: '20000' },
  organisation_identifier: { scheme: 'pic', value: '999999999', organisation_id: ORG, source: 'golden' },
  filiere: { id: 'golden-filiere', name: 'Filière dorée', name_en: 'Golden filière' },
  s3_domain: { id: 's3-84-golden', region: '84', name: 'Domaine doré', filieres: 'golden-filiere', period: '2021-2027' },
};
// Created in this order, deleted in the reverse order (children before their parents). Every
// territory of the country exists already: one is updated, deleted, then created again.
const entityOrder = Object.keys(entityRows);
const existing = new Set(['territory', 'member_census']);

const cases = [];
const itemUrl = {};  // entity -> the URL of its case row
const add = (name, method, url, opts = {}) => cases.push({ name, method, url, ...opts });

// system and accounts
add('health', 'GET', '/api/v1/health');
add('health-live', 'GET', '/api/v1/health/live', { as: null });
add('health-ready', 'GET', '/api/v1/health/ready', { as: null });
// No [metrics] token on the golden server: the route says the metrics are off.
add('metrics-off', 'GET', '/metrics', { as: null });
add('openapi', 'GET', '/api/v1/openapi.json', { summary: true });
add('login', 'POST', '/api/v1/login', { as: null, body: { name: 'golden-admin', password } });
add('login-wrong-password', 'POST', '/api/v1/login', { as: null, body: { name: 'golden-admin', password: 'wrong-password-1' } });
add('me', 'GET', '/api/v1/me');
add('tokens-create', 'POST', '/api/v1/tokens', { body: { label: 'golden case' } });
add('tokens', 'GET', '/api/v1/tokens');
// A token made for the case, then revoked (its id changes from run to run: the URL is shown with
// a placeholder).
const newTokenId = async (as, label) => (await (await fetch(`${base}/api/v1/tokens`, {
  method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[as]}` },
  body: JSON.stringify({ label }),
})).json()).token_id;
add('tokens-revoke', 'DELETE', '/api/v1/tokens/{token_id}',
  { resolve: async (url) => url.replace('{token_id}', await newTokenId('admin', 'to revoke')) });
add('me-password', 'POST', '/api/v1/me/password', { as: 'state', body: { current_password: password, new_password: password } });
add('me-password-weak', 'POST', '/api/v1/me/password', { as: 'state', body: { current_password: password, new_password: 'motdepasse2024' } });
add('me-language', 'PUT', '/api/v1/me/language', { as: 'reviewer', body: { language: 'en' } });
add('me-language-bad', 'PUT', '/api/v1/me/language', { as: 'reviewer', body: { language: 'de' } });
add('me-language-none', 'PUT', '/api/v1/me/language', { as: 'reviewer', body: { language: null } });
add('exports-table', 'POST', '/api/v1/exports/table', { as: 'member', binary: true,
  body: { name: 'Pôles 2024', columns: ['Pôle', 'Membres'], rows: [['Aerospace Valley', 812], ['Minalogic', null]] } });
add('exports-table-bad', 'POST', '/api/v1/exports/table', { as: 'member', body: { name: 't', columns: ['a', 'b'], rows: [[1]] } });
add('users', 'GET', '/api/v1/users');
add('users-create', 'POST', '/api/v1/users', { body: { name: 'golden-new', password, role: 'evaluator' } });
add('users-create-unknown-scope', 'POST', '/api/v1/users', { body: { name: 'golden-nowhere', password, role: 'cluster_manager', scope: 'no-such-cluster' } });
add('users-role', 'POST', '/api/v1/users/golden-new/role', { body: { role: 'cluster_manager', scope: C } });
add('users-tokens', 'GET', '/api/v1/users/golden-state/tokens');
add('users-tokens-revoke', 'DELETE', '/api/v1/users/golden-member/tokens/{token_id}',
  { resolve: async (url) => url.replace('{token_id}', await newTokenId('member', 'to revoke')) });
add('users-password', 'POST', '/api/v1/users/golden-new/password', { body: { password: 'une autre phrase de passe 2026' } });
add('users-disable', 'POST', '/api/v1/users/golden-new/disable');
// views
add('stats-regions', 'GET', '/api/v1/stats/regions?year=2022');
add('stats-clusters', 'GET', '/api/v1/stats/clusters?year=2022');
add('stats-firms', 'GET', '/api/v1/stats/firms?measure=turnover&year=2020');
add('stats-firms-members', 'GET', '/api/v1/stats/firms?measure=rd_spending&year=2020&members_only=true');
add('cluster-profile', 'GET', `/api/v1/clusters/${C}/profile`);
add('organisation-profile', 'GET', `/api/v1/organisations/${encodeURIComponent(ORG)}/profile`);
add('project-profile', 'GET', `/api/v1/projects/${PRJ}/profile`);
// selection and risk
add('select-calls', 'GET', '/api/v1/select/calls');
add('select-conflicts', 'GET', `/api/v1/select/calls/${CALL}/conflicts`);
add('select-assignment', 'GET', `/api/v1/select/calls/${CALL}/assignment`);
add('select-scores', 'GET', `/api/v1/select/calls/${CALL}/scores?bootstrap=200&seed=7`);
add('select-portfolio', 'GET', `/api/v1/select/calls/${CALL}/portfolio`);
add('select-my-proposals', 'GET', '/api/v1/select/my-proposals', { as: 'reviewer' });
add('risk-model', 'GET', '/api/v1/risk/model');
add('risk-call', 'GET', `/api/v1/risk/calls/${CALL}?draws=500&seed=3`);
// network
const net_ = (name, url) => add(`network-${name}`, 'GET', `/api/v1/network/${url}`);
net_('summary', 'summary?from=2015&to=2020');
net_('organisations', 'organisations?sort=betweenness&limit=10');
net_('communities', 'communities?limit=5');
net_('clusters', 'clusters?from=2015&to=2020');
net_('regions', 'regions?from=2015&to=2020');
net_('sme', 'sme?from=2015&to=2020');
net_('brokers', 'brokers?limit=5');
net_('what-if', `what-if?remove=${C}`);
net_('ego', `ego/${PARTNER}?limit=20&from=2015&to=2020`);
net_('recommend-organisation', `recommend/${PARTNER}?limit=5&from=2015&to=2020`);
net_('recommend-idea', 'recommend?sector=30&themes=aeronautique&home=76&limit=5');
net_('graph', 'graph?limit=30&from=2018&to=2020');
net_('export-csv', 'export?format=csv&from=2019&to=2019');
// evaluation
add('evaluate-indicators', 'GET', '/api/v1/evaluate/indicators');
add('evaluate', 'GET', '/api/v1/evaluate?year=2022&draws=200&seed=5&sobol_n=0');
add('evaluate-trends', 'GET', `/api/v1/evaluate/trends/${C}?from=2018&to=2022`);
add('evaluate-assessments', 'GET', '/api/v1/evaluate/assessments?year=2022');
add('evaluate-characterisation', 'GET', '/api/v1/evaluate/characterisation?year=2022');
add('evaluate-audit', 'GET', '/api/v1/evaluate/audit?year=2022');
add('evaluate-efficiency', 'GET', '/api/v1/evaluate/efficiency?year=2022');
add('evaluate-efficiency-output-crs', 'GET', '/api/v1/evaluate/efficiency?year=2022&orientation=output&returns=constant');
// publication to the evaluated: the cluster manager reads its own cluster's published results
add('evaluate-unpublished-manager', 'GET', '/api/v1/evaluate?year=2022', { as: 'manager' });
add('evaluate-publish', 'POST', '/api/v1/evaluate/publications/2022?draws=100&seed=5&sobol_n=0');
add('evaluate-publish-again', 'POST', '/api/v1/evaluate/publications/2022?draws=100&seed=5&sobol_n=0');
add('evaluate-publications', 'GET', '/api/v1/evaluate/publications');
// the State shows the published year's summary on the portal (the cluster's page below shows
// it); a year not published cannot be shown
add('evaluate-public-show', 'POST', '/api/v1/evaluate/publications/2022/public', { body: { shown: true } });
add('evaluate-public-unpublished', 'POST', '/api/v1/evaluate/publications/2019/public', { body: { shown: true } });
add('evaluate-published-manager', 'GET', '/api/v1/evaluate?year=2022', { as: 'manager' });
add('report-cluster-published-manager', 'GET', `/api/v1/reports/cluster/${C}?year=2022&format=html&lang=fr`, { as: 'manager', text: true });
// the State's decision after the published evaluation, the cluster's answer, the follow-up
const decision = { level: 2, text: 'Revue à 18 mois : plan d\'action sur le pilier Entreprises.', deadline: '2023-06-30', owner: 'DGE, bureau des pôles',
  documents: [{ title: 'Courrier au pôle', url: 'https://example.gouv.fr/courrier.pdf' }] };
// the phase: the published year as published, the others computed (the State); the manager
// reads the published years of its cluster
add('evaluate-phase', 'GET', '/api/v1/evaluate/phase?from=2020&to=2022&draws=100&seed=3');
add('evaluate-phase-manager', 'GET', '/api/v1/evaluate/phase?from=2020&to=2022', { as: 'manager' });
add('evaluate-phase-too-long', 'GET', '/api/v1/evaluate/phase?from=2005&to=2022');
add('decision-unpublished', 'PUT', `/api/v1/evaluate/decisions/2021/${C}`, { body: decision });
add('decision-invalid', 'PUT', `/api/v1/evaluate/decisions/2022/${C}`, { body: { ...decision, level: 9, deadline: '2022-02-30', documents: [{ title: '', url: 'javascript:alert(1)' }] } });
add('decision-record', 'PUT', `/api/v1/evaluate/decisions/2022/${C}`, { body: decision });
add('decision-manager', 'GET', `/api/v1/evaluate/decisions/2022/${C}`, { as: 'manager' });
add('decision-answer', 'POST', `/api/v1/evaluate/decisions/2022/${C}/answer`, { as: 'manager', body: { answer: 'Le conseil a adopté un plan d\'action le 12 mars.' } });
add('decisions', 'GET', '/api/v1/evaluate/decisions');
add('decision-withdraw', 'DELETE', `/api/v1/evaluate/decisions/2022/${C}`);
// projects to products, services, foresight
add('pipeline-funnel', 'GET', '/api/v1/pipeline/funnel?by=programme');
add('pipeline-leverage', 'GET', '/api/v1/pipeline/leverage');
add('pipeline-funding', 'GET', `/api/v1/pipeline/funding?cluster=${C}`);
add('pipeline-funding-region', 'GET', '/api/v1/pipeline/funding?funder=region-24&from=2010&to=2020', { as: 'manager' });
add('pipeline-funding-unknown-funder', 'GET', '/api/v1/pipeline/funding?funder=nobody');
add('region-cofunding', 'GET', '/api/v1/regions/24/cofunding?from=2013&to=2022');
add('region-cofunding-unknown', 'GET', '/api/v1/regions/99/cofunding');
add('region-cofunding-bad-window', 'GET', '/api/v1/regions/24/cofunding?from=2022&to=2013');
add('region-cofunding-manager', 'GET', '/api/v1/regions/24/cofunding', { as: 'manager' });
add('programme-delete-in-use', 'DELETE', '/api/v1/programme/FUI');
add('services-summary', 'GET', '/api/v1/services/summary?from=2016&to=2020');
add('services-diagnostics', 'GET', '/api/v1/services/diagnostics');
add('foresight-employment', 'GET', `/api/v1/foresight/employment?sector=${SECTOR}&year=2022`);
add('foresight-sectors', 'GET', '/api/v1/foresight/sectors');
// Sections summed from the divisions the demo publishes; a level it has no figures for.
add('foresight-employment-sections', 'GET', '/api/v1/foresight/employment?nomenclature=a21&sector=C&year=2022&territory=84');
add('foresight-sectors-a38', 'GET', '/api/v1/foresight/sectors?nomenclature=a38');
add('foresight-employment-zones-absent', 'GET', '/api/v1/foresight/employment?territory_level=zone');
add('foresight-sector', 'GET', `/api/v1/foresight/sectors/${SECTOR}?year=2022`);
add('report-sector', 'GET', `/api/v1/reports/sector/${SECTOR}?year=2022&format=html&lang=fr`, { text: true });
add('report-cluster', 'GET', `/api/v1/reports/cluster/${C}?year=2022&draws=100&format=html&lang=en`, { text: true });
add('report-cluster-pdf', 'GET', `/api/v1/reports/cluster/${C}?year=2022&draws=100&format=pdf`, { binary: true });
// the public portal, without an account (PORTAL_PROJECT: a labelled project of the demo that
// agreed to publication; PRIVATE_PROJECT: one that did not, answered as a missing one)
add('portal-directory', 'GET', '/public', { as: null, text: true });
add('portal-directory-search-en', 'GET', '/public?lang=en&q=energie&former=true', { as: null, text: true });
add('portal-cluster', 'GET', `/public/clusters/${C}`, { as: null, text: true });
add('portal-project', 'GET', `/public/projects/${PORTAL_PROJECT}?lang=en`, { as: null, text: true });
add('portal-project-private', 'GET', `/public/projects/${PRIVATE_PROJECT}`, { as: null, text: true });
add('portal-calls', 'GET', '/public/calls?lang=en', { as: null, text: true });
// the partner finder: a need (NAF, theme, region) and a NAF code that is not one
add('portal-partners', 'GET', '/public/partners?naf=30.30Z&theme=aero&region=24&kind=&q=drone', { as: null, text: true });
add('portal-partners-bad-naf-en', 'GET', '/public/partners?lang=en&naf=ETIENNE', { as: null, text: true });
add('portal-partners-unknown-theme', 'GET', '/public/partners?theme=not-a-theme', { as: null });
// support requests: the form (its stamp is volatile), a form sent without a stamp (400, the form
// again with the errors), an unknown tracking link, the inbox (empty) and unknown requests
add('portal-support', 'GET', `/public/support?cluster=${C}`, { as: null, text: true });
add('portal-support-send-unstamped', 'POST', '/public/support?lang=en', { as: null, text: true,
  form: { name: 'Camille Martin', siren: '552081317', email: 'camille@exemple.fr', need: 'Un besoin de vingt caractères au moins.', region: '84', theme: '', cluster: '', website: '' } });
add('portal-support-tracking-unknown', 'GET', `/public/support/${'0'.repeat(64)}`, { as: null, text: true });
add('portal-support-erase-unknown', 'POST', `/public/support/${'0'.repeat(64)}/delete`, { as: null, text: true, form: {} });
add('support-requests', 'GET', '/api/v1/support-requests', { as: 'manager' });
add('support-request-unknown', 'GET', '/api/v1/support-requests/sup-none', { as: 'manager' });
add('support-request-update-unknown', 'POST', '/api/v1/support-requests/sup-none', { as: 'manager', body: { status: 'taken' } });
add('portal-calls-feed', 'GET', '/public/calls.atom', { as: null, text: true });
add('portal-sitemap', 'GET', '/sitemap.xml', { as: null, text: true });
add('portal-robots', 'GET', '/robots.txt', { as: null, text: true });
add('portal-open-data', 'GET', '/public/data', { as: null, text: true });
add('open-data-csv', 'GET', '/public/data/indicators.csv', { as: null, text: true });
add('open-data-json', 'GET', '/public/data/members.json', { as: null });
add('open-data-missing', 'GET', '/public/data/passwords.csv', { as: null });
add('public-api-datasets', 'GET', '/api/public/v1/datasets', { as: null });
add('public-api-dataset', 'GET', '/api/public/v1/datasets/projects', { as: null });
add('public-api-openapi', 'GET', '/api/public/v1/openapi.json', { as: null });
// impact jobs
add('impact-job-start', 'POST', '/api/v1/impact/jobs', { body: { bootstrap: 99, seed: 11 }, then: 'wait-job' });
add('impact-jobs', 'GET', '/api/v1/impact/jobs');
add('impact-job', 'GET', '/api/v1/impact/jobs/job-1');
add('impact-report', 'GET', '/api/v1/reports/impact/job-1?format=html&lang=fr', { text: true });
add('impact-job-cancel-finished', 'DELETE', '/api/v1/impact/jobs/job-1');
// import (dry run, then for real)
// the State's census of members: a dry run of a year the demo released (nothing to change: the
// demo's census is its memberships), the release of the current year (every running
// membership), and the refusals
add('census-dry-run', 'POST', '/api/v1/census/2024?dry_run=true', { as: 'state' });
add('census-release', 'POST', '/api/v1/census/2026', { as: 'state' });
add('census-year-before-2004', 'POST', '/api/v1/census/2003', { as: 'state' });
add('census-year-not-a-number', 'POST', '/api/v1/census/deux-mille', { as: 'state' });
add('census-by-manager', 'POST', '/api/v1/census/2024', { as: 'manager' });
// requests to the owner of a row (ids are random: shown as req-<volatile>)
const newRequest = async (body) => (await (await fetch(`${base}/api/v1/requests/organisation`, {
  method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.manager}` },
  body: JSON.stringify(body),
})).json()).id;
const MEMBER_OF_C = 'demo-org-00003';
const withRequest = (url) => ({ resolve: async (u) => u.replace('{id}', await newRequest(
  { organisation_id: MEMBER_OF_C, changes: { founded: 1998 }, comment: 'année de création corrigée' })) });
add('requests-colabel', 'POST', '/api/v1/requests/colabel', { as: 'manager', body: { project_id: 'demo-prj-00004', date: '2026-02-01', comment: 'nous finançons deux partenaires' } });
add('requests-colabel-unknown-project', 'POST', '/api/v1/requests/colabel', { as: 'manager', body: { project_id: 'golden-none' } });
add('requests-organisation', 'POST', '/api/v1/requests/organisation', { as: 'manager', body: { organisation_id: MEMBER_OF_C, changes: { name: 'Nom proposé' } } });
add('requests-organisation-bad-field', 'POST', '/api/v1/requests/organisation', { as: 'manager', body: { organisation_id: MEMBER_OF_C, changes: { founded: 1066 } } });
add('requests', 'GET', '/api/v1/requests?status=pending', { as: 'manager' });
add('requests-get', 'GET', '/api/v1/requests/{id}', { as: 'manager', ...withRequest() });
add('requests-accept', 'POST', '/api/v1/requests/{id}/accept', { body: { answer: 'merci' }, ...withRequest() });
add('requests-refuse', 'POST', '/api/v1/requests/{id}/refuse', { body: { answer: 'adresse inexacte' }, ...withRequest() });
add('requests-withdraw', 'DELETE', '/api/v1/requests/{id}', { as: 'manager', ...withRequest() });
add('import-dry-run', 'POST', '/api/v1/import/truth?dry_run=true', { csv: 'key,value,note\ngolden.import,2,dry\n' });
add('import', 'POST', '/api/v1/import/truth', { csv: 'key,value,note\ngolden.import,2,real\n' });
// the preview of a replace: the row that changes field by field, the scope's row the file does
// not list (the one written just above) deleted; nothing written (dry_run)
add('import-replace-preview', 'POST', '/api/v1/import/truth?dry_run=true&mode=replace&scope=note%3Dreal&preview=10',
  { csv: 'key,value,note\ngolden.preview,3,real\n' });
add('import-errors', 'POST', '/api/v1/import/organisation', { csv: 'id,name,kind,siren\nx,,company,123\n' });
// the column-mapping import: a preview (nothing written, the refused row with its reason), then
// the same file all or nothing (422, every error)
const MAPPING = '[dictionaries.kind]\n"PME" = "company"\n"Laboratoire" = "research"\n[[target]]\n' +
  'entity = "organisation"\n[target.fields]\nid = { template = "annuaire:{Nom|slug}" }\n' +
  'name = "Nom"\nkind = { column = "Type", dictionary = "kind" }\n';
const DIRECTORY = Buffer.from('Nom;Type\nÉole Systèmes;PME\nLabo Nord;Laboratoire\nInconnue;Partenaire\n').toString('base64');
add('import-mapped-columns', 'POST', '/api/v1/import/mapped/columns', { body: { file: DIRECTORY, filename: 'annuaire.csv' } });
add('import-mapped-preview', 'POST', '/api/v1/import/mapped', { body: { mapping: MAPPING, file: DIRECTORY, filename: 'annuaire.csv', preview: 5 } });
add('import-mapped-all-or-nothing', 'POST', '/api/v1/import/mapped', { body: { mapping: MAPPING, file: DIRECTORY, filename: 'annuaire.csv' } });
// Matching to SIREN: the demo loads no SIRENE reference (0 units): a dry run, the queue, and the
// decision route's errors (both a SIREN and a rejection; an unknown organisation).
add('resolution-run-dry', 'POST', '/api/v1/resolution/run', { body: { dry_run: true } });
add('resolution-queue', 'GET', '/api/v1/resolution?status=none&limit=3');
add('resolution-decision-both', 'POST', '/api/v1/resolution/demo-org-00001/decision', { body: { siren: '732829320', reject: true } });
add('resolution-decision-unknown', 'POST', '/api/v1/resolution/no-such-organisation/decision', { body: { reject: true } });
// recording a selection (after the views above, which they change)
add('select-record-assignment', 'POST', `/api/v1/select/calls/${CALL}/assignment?replace=true&date=2020-05-01`);
add('select-record-decisions', 'POST', `/api/v1/select/calls/${CALL}/decisions?replace=true&date=2020-07-01`);
// every entity: create, list, read, update (merge and replace), delete
for (const e of entityOrder) {
  const row = entityRows[e];
  itemUrl[e] = `/api/v1/${e}/${keyPath(e, row)}`;
  if (!existing.has(e)) add(`${e}-create`, 'POST', `/api/v1/${e}`, { body: row });
  add(`${e}-list`, 'GET', `/api/v1/${e}?limit=3`);
}
for (const e of entityOrder) {
  add(`${e}-get`, 'GET', null, { item: e });
  add(`${e}-patch`, 'PATCH', null, { item: e, body: {}, ifMatch: true });
  add(`${e}-put`, 'PUT', null, { item: e, body: entityRows[e], ifMatch: true });
}
for (const e of [...entityOrder].reverse()) add(`${e}-delete`, 'DELETE', null, { item: e, ifMatch: true });
for (const e of existing) add(`${e}-create`, 'POST', `/api/v1/${e}`, { body: entityRows[e] });
// merging a duplicate (after the entity cases: it deletes an organisation)
add('merge-setup-kept', 'POST', '/api/v1/organisation', { body: { id: 'golden-kept', name: 'Capteurs SA', kind: 'company', department: '31' } });
add('merge-setup-duplicate', 'POST', '/api/v1/organisation', { body: { id: 'golden-duplicate', name: 'Capteurs S.A.', kind: 'company', city: 'Toulouse', address: '2 rue des Capteurs', postcode: '31400', website: 'https://capteurs.example' } });
add('merge-setup-membership', 'POST', '/api/v1/membership', { body: { organisation_id: 'golden-duplicate', cluster_id: C, start_date: '2026-02-01' } });
add('organisation-merge', 'POST', '/api/v1/organisations/golden-kept/merge', { body: { drop: 'golden-duplicate' } });
add('organisation-merge-itself', 'POST', '/api/v1/organisations/golden-kept/merge', { body: { drop: 'golden-kept' } });
add('organisation-merge-unknown', 'POST', '/api/v1/organisations/golden-kept/merge', { body: { drop: 'no-such-organisation' } });
add('audit', 'GET', '/api/v1/audit?limit=5');
add('logout', 'POST', '/api/v1/logout', { session: true });

// --- running them ---------------------------------------------------------------------------
// ETags and list cursors are keyed with (or encrypted by) the secret each database draws.
const volatileKeys = new Set(['csrf', 'token', 'token_id', 'created_at', 'public_at', 'data_changed_at', 'last_used_at', 'at', 'started', 'finished',
  'elapsed_seconds', 'seconds', 'created', 'generated', 'duration_ms', 'timing_seconds', 'next_cursor', 'published_at',
  'requested_at', 'decided_at', 'answered_at', 'data_date']);
const scrub = (v) => {
  if (Array.isArray(v)) return v.map(scrub);
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = volatileKeys.has(k) && x !== null ? '<volatile>' : scrub(x);
    return out;
  }
  return typeof v === 'string' ? v.replace(/req-[0-9a-f]{20}/g, 'req-<volatile>') : v;
};
const scrubText = (t) => t
  .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<volatile>')
  .replace(/req-[0-9a-f]{20}/g, 'req-<volatile>')
  .replace(/(généré|generated)( le| on)? [^<]*/gi, '$1 <volatile>')
  .replace(/(Pôles (le|on)) \d{4}-\d\d-\d\d/g, '$1 <volatile>')
  .replace(/(données au|data as of) [0-9/-]{10}/gi, '$1 <volatile>')
  .replace(/name="stamp" value="[^"]*"/g, 'name="stamp" value="<volatile>"');

let adminSession = null;
const failures = [];
const answers = {};
// The JSON bodies as received, before scrubbing: what the schemas validate (a volatile value
// such as a timing object is replaced by a string in the answer files only).
const received = {};
let changed = 0;
const started = Date.now();
for (const c of cases) {
  let url = c.url;
  if (c.item) url = itemUrl[c.item];
  // A URL known only when the case runs (a new token's id): called, and shown as declared.
  const shownUrl = url;
  if (c.resolve) url = await c.resolve(url);
  const headers = {};
  const as = c.as === undefined ? 'admin' : c.as;
  if (c.session) {
    const login = await fetch(`${base}/api/v1/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'golden-admin', password }),
    });
    adminSession = { cookie: login.headers.get('set-cookie').split(';')[0], csrf: (await login.json()).csrf };
    headers.Cookie = adminSession.cookie;
    headers['X-CSRF-Token'] = adminSession.csrf;
  } else if (as) {
    headers.Authorization = `Bearer ${tokens[as]}`;
  }
  if (c.ifMatch) {
    const g = await fetch(base + url, { headers: { Authorization: `Bearer ${tokens.admin}` } });
    headers['If-Match'] = g.headers.get('etag') ?? '"none"';
  }
  let body;
  if (c.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(c.body);
  } else if (c.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(c.form).toString();
  } else if (c.csv !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = c.csv;
  }
  const res = await fetch(base + url, { method: c.method, headers, body });
  const type = (res.headers.get('content-type') ?? '').split(';')[0];
  const answer = { request: `${c.method} ${c.resolve ? shownUrl : url}`, status: res.status, type };
  if (res.headers.get('etag')) answer.etag = '<volatile>';
  if (c.binary) {
    const bytes = Buffer.from(await res.arrayBuffer());
    answer.body = { starts_with: bytes.subarray(0, 5).toString('latin1'), at_least_bytes: bytes.length > 1000 };
  } else if (type.includes('json')) {
    const text = await res.text();
    received[c.name] = text ? JSON.parse(text) : null;
    answer.body = text ? scrub(received[c.name]) : null;
    if (c.summary) {
      const ops = Object.entries(answer.body.paths).flatMap(([p, m]) => Object.keys(m).map((x) => `${x.toUpperCase()} ${p}`));
      answer.body = { openapi: answer.body.openapi, operations: ops.length, paths: ops };
    }
  } else {
    answer.body = scrubText(await res.text());
  }
  if (c.then === 'wait-job') {
    for (let i = 0; i < 600; ++i) {
      const j = await (await fetch(`${base}/api/v1/impact/jobs/job-1`, { headers: { Authorization: `Bearer ${tokens.admin}` } })).json();
      if (j.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  answers[c.name] = answer;
}

function keyPath(entity, row) {
  // The key fields of each entity, in the order of their URL segments (from the schema).
  const keys = {
    cluster: ['id'], cluster_label: ['cluster_id', 'phase'], organisation: ['id'],
    membership: ['organisation_id', 'cluster_id', 'start_date'], member_census: ['year', 'cluster_id', 'organisation_id'],
    project: ['id'],
    project_label: ['project_id', 'cluster_id'], project_event: ['project_id', 'status'],
    participation: ['project_id', 'organisation_id'], result: ['id'], service: ['id'],
    service_participant: ['service_id', 'organisation_id'], diagnostic: ['organisation_id', 'date'],
    contract: ['id'], contract_target: ['contract_id', 'indicator', 'year'], cluster_budget: ['cluster_id', 'year'],
    assessment: ['cluster_id', 'year', 'criterion', 'evaluator'], call: ['id'], proposal: ['id'], reviewer: ['id'],
    assignment: ['proposal_id', 'reviewer_id'], review: ['proposal_id', 'reviewer_id', 'criterion'],
    decision: ['proposal_id'], firm_year: ['siren', 'year'], employment: ['level', 'code', 'sector', 'year'],
    truth: ['key'], territory: ['level', 'code'], funder: ['id'], programme: ['code'],
    project_funding: ['project_id', 'funder_id'], national_figure: ['indicator', 'year'],
    commune: ['code'], organisation_identifier: ['scheme', 'value'], filiere: ['id'], s3_domain: ['id'],
  };
  return keys[entity].map((k) => encodeURIComponent(String(row[k]))).join('/');
}

// --- every route has a case; every answer validates against its schema -----------------------
const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
server.kill('SIGTERM');
// The document itself passes Redocly's lint (locked in web/), with no error and no warning.
const docFile = path.join(workDir, 'openapi.json');
fs.writeFileSync(docFile, JSON.stringify(doc, null, 1));
const lint = spawnSync(path.join(sourceDir, 'web/node_modules/.bin/redocly'),
  ['lint', docFile, '--format=stylish'], { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
const lintText = `${lint.stdout}${lint.stderr}`;
const warnings = /You have (\d+) warning/.exec(lintText);
if (lint.status !== 0 || warnings) {
  failures.push(`redocly lint of the OpenAPI document: exit ${lint.status}, ${warnings ? warnings[1] : 0} warning(s)\n` +
    lintText.split('\n').filter((l) => /error|warning/.test(l)).slice(0, 20).join('\n'));
}
const templates = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => ({
  method: m.toUpperCase(), path: p, op: ops[m],
  re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`),
})));
const covered = new Set();
const validate = validatorFor(doc);
for (const c of cases) {
  const a = answers[c.name];
  const [method, url] = a.request.split(' ');
  const t = templates.find((x) => x.method === method && x.re.test(url));
  if (!t) {
    failures.push(`${c.name}: ${a.request} matches no route of the OpenAPI document`);
    continue;
  }
  covered.add(`${t.method} ${t.path}`);
  if (!c.binary && !c.summary && !c.text) {
    const problems = validate(t.op, a.status, a.type, c.name in received ? received[c.name] : a.body);
    for (const p of problems) failures.push(`${c.name}: ${a.request} → ${a.status}: ${p}`);
  }
}
for (const t of templates) {
  if (!covered.has(`${t.method} ${t.path}`)) failures.push(`no golden case for ${t.method} ${t.path}`);
}

// --- compare or update ------------------------------------------------------------------------
// Two answers are the same when they are equal but for the last bits of their real numbers
// (relative 1e-9): the estimators' sums run in an order the BLAS and the CPU choose.
function sameWithin(a, b) {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameWithin(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameWithin(a[k], b[k]));
  }
  return a === b;
}
const expectedFiles = new Set();
for (const c of cases) {
  const file = path.join(answersDir, `${c.name}.json`);
  expectedFiles.add(path.basename(file));
  if (only && !only.test(c.name)) continue;
  const text = `${JSON.stringify(answers[c.name], null, 1)}\n`;
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (old === text) continue;
  if (old !== null && sameWithin(JSON.parse(old), answers[c.name])) continue;
  ++changed;
  if (update) {
    fs.writeFileSync(file, text);
  } else {
    failures.push(`${c.name}: the answer differs from tests/golden/answers/${c.name}.json${old === null ? ' (missing)' : ''}`);
    if (old !== null) failures.push(firstDifference(old, text));
  }
}
for (const f of fs.readdirSync(answersDir)) {
  if (expectedFiles.has(f)) continue;
  if (update) fs.rmSync(path.join(answersDir, f));
  else failures.push(`tests/golden/answers/${f} belongs to no case`);
}

function firstDifference(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); ++i) {
    if (x[i] !== y[i]) return `    line ${i + 1}:\n    - ${(x[i] ?? '').slice(0, 200)}\n    + ${(y[i] ?? '').slice(0, 200)}`;
  }
  return '';
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`golden: ${cases.length} cases, ${covered.size} of ${templates.length} routes, ${seconds} s` +
  (update ? `, ${changed} file(s) rewritten` : ''));
const shown = update ? failures.filter((f) => !f.includes('differs from')) : failures;
if (shown.length) {
  console.log(shown.join('\n'));
  process.exit(1);
}
