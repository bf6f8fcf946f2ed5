#!/usr/bin/python3
"""Every public page of a demo, fetched without an account and without JavaScript, against the
database it is drawn from (the expectations come from SQL here, never from the portal's code):

- every page parses as HTML with a title, an <h1> and no script but the schema.org markup;
- a cluster's page names no member that did not agree to be listed (a running membership of the
  cluster with listed = 1), and no project that did not agree to publication;
- every project answers 200 if and only if it is labelled and agreed to publication; the others
  answer the same 404 as a missing page;
- no page shows an e-mail address, a SIREN, or a number of 10,000 or more (a firm's figure: the
  pages show counts of rows and years only; the budgets of calls are public);
- the partner finder, asked for every theme (and a region), names as organisations only listed
  members (a running membership with listed = 1) that take part in a public project;
- the sitemap lists exactly the directory, the partner finder, the calls, the open data, every
  currently labelled
  cluster and every public project, in both languages; the Atom feed parses, one entry per call;
- the open data (CSV and the public API's JSON) holds the listed members exactly, the public
  projects and their partners only, no e-mail address and no private column; its counts equal
  SQL's, and every financing figure it publishes passes the secrecy rule (at least 3 firms, none
  above 85 %) and equals SQL's sum.

usage: portal_scan.py POLES SOURCE_DIR WORK_DIR [--base DATABASE]  (default: the small demo)
"""
import csv
import html
import html.parser
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

POLES, SRC, WORK = sys.argv[1:4]
BASE = sys.argv[sys.argv.index('--base') + 1] if '--base' in sys.argv else None
if BASE and not os.path.exists(BASE):
    print(f'SKIP: {BASE} is absent (the demo_france fixture builds it)')
    sys.exit(0)
os.makedirs(WORK, exist_ok=True)
DB = os.path.join(WORK, 'portal.db')
for f in (DB, DB + '-wal', DB + '-shm', DB + '.snapshot', DB + '.admin-password'):
    if os.path.exists(f):
        os.remove(f)
if BASE:
    shutil.copyfile(BASE, DB)
else:
    subprocess.run([POLES, '--db', DB, 'demo', '--scale', 'small', '--seed', '2026', '--quiet'],
                   check=True, capture_output=True)
sql = sqlite3.connect(DB)

with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    PORT = s.getsockname()[1]
server = subprocess.Popen([POLES, '--db', DB, 'serve', '--listen', f'127.0.0.1:{PORT}',
                           '--anonymous-rate', '0', '--web-root', os.path.join(SRC, 'web')],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
URL = f'http://127.0.0.1:{PORT}'


def get(path):
    try:
        with urllib.request.urlopen(URL + path, timeout=120) as r:
            return r.status, r.read().decode('utf-8')
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode('utf-8')


for _ in range(600):
    try:
        if get('/api/v1/health')[0] == 200:
            break
    except OSError:
        pass
    time.sleep(0.05)


class Page(html.parser.HTMLParser):
    """The text, links, scripts and listed names of a page."""

    def __init__(self):
        super().__init__()
        self.text, self.links, self.scripts, self.listed = [], [], [], []
        self.title = self.h1 = False
        self._in_members = 0
        self._item = None
        self._stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'a' and a.get('href'):
            self.links.append(a['href'])
        if tag == 'script':
            self.scripts.append(a.get('type', ''))
        if tag == 'title':
            self.title = True
        if tag == 'h1':
            self.h1 = True
        if tag == 'ul' and 'portal-members' in (a.get('class') or ''):
            self._in_members += 1
        elif tag == 'ul' and self._in_members:
            self._in_members += 1
        if tag == 'li' and self._in_members == 1:
            self._item = ''
        if tag == 'span' and self._item is not None:
            self.listed.append(self._item.strip())
            self._item = None

    def handle_endtag(self, tag):
        if tag == 'ul' and self._in_members:
            self._in_members -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._item is not None:
            self._item += data


failures = []


# Public by nature: the calls' budgets (a figure of a funder, not of a firm).
PUBLIC_NUMBERS = {int(r[0]) for r in sql.execute('SELECT budget FROM call')}


def check_page(path, body):
    p = Page()
    p.feed(body)
    text = ' '.join(p.text)
    if not (p.title and p.h1):
        failures.append(f'{path}: no title or no <h1>')
    for kind in p.scripts:
        if kind != 'application/ld+json':
            failures.append(f'{path}: a script ({kind or "javascript"})')
    visible = re.sub(r'\s+', ' ', text)
    if re.search(r'[\w.+-]+@[\w-]+\.[\w.]+', visible):
        failures.append(f'{path}: an e-mail address')
    for m in re.finditer(r'\d{1,3}(?:[\u202f,]\d{3})+(?!\d)|\d+', visible):
        n = int(re.sub(r'\D', '', m.group()))
        if n >= 10000 and n not in PUBLIC_NUMBERS:
            failures.append(f'{path}: the number {m.group()!r} (a firm figure?)')
            break
    return p


# The directory (both languages, every cluster) and its links.
pages = 0
clusters = set()
for path in ('/public?former=true', '/public?former=true&lang=en', '/public'):
    st, body = get(path)
    pages += 1
    if st != 200:
        failures.append(f'{path}: {st}')
        continue
    p = check_page(path, body)
    clusters |= {re.sub(r'\?.*', '', h).rsplit('/', 1)[1] for h in p.links
                 if h.startswith('/public/clusters/')}
every = {r[0] for r in sql.execute('SELECT id FROM cluster')}
if clusters != every:
    failures.append(f'the directory lists {len(clusters)} clusters of {len(every)}')

for c in sorted(every):
    path = f'/public/clusters/{c}'
    st, body = get(path)
    pages += 1
    if st != 200:
        failures.append(f'{path}: {st}')
        continue
    p = check_page(path, body)
    listed = {r[0] for r in sql.execute(
        """SELECT o.name FROM membership m JOIN organisation o ON o.id = m.organisation_id
           WHERE m.cluster_id = ? AND m.end_date IS NULL AND m.listed = 1""", (c,))}
    unlisted = {r[0] for r in sql.execute(
        """SELECT o.name FROM membership m JOIN organisation o ON o.id = m.organisation_id
           WHERE m.cluster_id = ? AND coalesce(m.listed, 0) = 0""", (c,))} - listed
    for name in p.listed:
        if name not in listed:
            failures.append(f'{path}: names {name!r}, not a listed member')
    if set(p.listed) != listed:
        failures.append(f'{path}: {len(set(p.listed))} listed members shown, {len(listed)} listed')
    text = ' '.join(p.text)
    for name in unlisted:
        if name in text:
            failures.append(f'{path}: names {name!r}, which did not agree to be listed')
    private = [r[0] for r in sql.execute(
        """SELECT p.acronym FROM project p JOIN project_label l ON l.project_id = p.id
           WHERE l.cluster_id = ? AND coalesce(p.public_summary, 0) = 0""", (c,))]
    for acronym in private:
        if re.search(r'\b' + re.escape(acronym) + r'\b', text):
            failures.append(f'{path}: names the private project {acronym!r}')

missing_status, missing_body = get('/public/projects/no-such-project')
public = {r[0] for r in sql.execute(
    """SELECT id FROM project p WHERE p.public_summary = 1
       AND EXISTS (SELECT 1 FROM project_label l WHERE l.project_id = p.id)""")}
shown = 0
for (pid,) in sql.execute('SELECT id FROM project ORDER BY id'):
    path = f'/public/projects/{pid}'
    st, body = get(path)
    pages += 1
    if pid in public:
        shown += 1
        if st != 200:
            failures.append(f'{path}: {st}, but it is public')
        else:
            check_page(path, body)
    elif st != 404 or body != missing_body:
        failures.append(f'{path}: {st}, not answered as a missing page (it is not public)')

# The calls and the open data's pages, in both languages.
for path in ('/public/calls', '/public/calls?lang=en', '/public/data', '/public/data?lang=en'):
    st, body = get(path)
    pages += 1
    if st != 200:
        failures.append(f'{path}: {st}')
    else:
        check_page(path, body)

# The partner finder: for every theme (and one with a region, in English), the organisations it
# names are listed members that take part in a public project (SQL), nothing else.
may_suggest = {r[0] for r in sql.execute(
    """SELECT DISTINCT o.name FROM organisation o
       JOIN membership m ON m.organisation_id = o.id AND m.end_date IS NULL AND m.listed = 1
       JOIN participation pa ON pa.organisation_id = o.id
       JOIN project p ON p.id = pa.project_id AND p.public_summary = 1
       WHERE EXISTS (SELECT 1 FROM project_label l WHERE l.project_id = p.id)""")}
themes = sorted({t for (ts,) in sql.execute('SELECT themes FROM cluster') for t in (ts or '').split('|') if t})
suggested = set()
for i, theme in enumerate(themes):
    path = f'/public/partners?theme={theme}' + ('&region=84&lang=en' if i == 0 else '')
    st, body = get(path)
    pages += 1
    if st != 200:
        failures.append(f'{path}: {st}')
        continue
    check_page(path, body)
    part = body[body.find('id="organisations"'):]
    for name in re.findall(r'<h3 class="fr-card__title">([^<]*)</h3>', part):
        name = html.unescape(name)
        suggested.add(name)
        if name not in may_suggest:
            failures.append(f'{path}: suggests {name!r}, not a listed member of a public project')
if not suggested:
    failures.append('the partner finder suggested no organisation for any theme')

# The sitemap: exactly the public pages, absolute, both languages.
ATOM = '{http://www.w3.org/2005/Atom}'
st, body = get('/sitemap.xml')
locs = {e.text for e in ET.fromstring(body).iter('{http://www.sitemaps.org/schemas/sitemap/0.9}loc')}
latest = sql.execute('SELECT max(phase) FROM cluster_label').fetchone()[0]
current = ({r[0] for r in sql.execute('SELECT DISTINCT cluster_id FROM cluster_label WHERE phase = ?',
                                      (latest,))} if latest else every)
expected = ['/public', '/public/partners', '/public/calls', '/public/data'] + \
    [f'/public/clusters/{c}' for c in current] + [f'/public/projects/{p}' for p in public]
expected_locs = set()
for path in expected:
    expected_locs |= {URL + path, URL + path + ('&' if '?' in path else '?') + 'lang=en'}
if locs != expected_locs:
    failures.append(f'sitemap: {len(locs)} addresses, {len(expected_locs)} expected; e.g. '
                    f'{sorted(locs ^ expected_locs)[:3]}')
st, body = get('/public/calls.atom')
feed = ET.fromstring(body)
with_open = sql.execute('SELECT count(*) FROM call WHERE open_date IS NOT NULL').fetchone()[0]
if len(feed.findall(ATOM + 'entry')) != min(50, with_open):
    failures.append(f'feed: {len(feed.findall(ATOM + "entry"))} entries, {with_open} calls')


def table(name):
    st, body = get(f'/public/data/{name}.csv')
    if st != 200:
        failures.append(f'/public/data/{name}.csv: {st}')
        return []
    rows = list(csv.DictReader(io.StringIO(body, newline='')))
    st, body = get(f'/api/public/v1/datasets/{name}')
    api = json.loads(body)['rows'] if st == 200 else None
    if api is None or len(api) != len(rows):
        failures.append(f'/api/public/v1/datasets/{name}: not the CSV\'s {len(rows)} rows')
    for row in rows:
        for k, v in row.items():
            if re.search(r'[\w.+-]+@[\w-]+\.[\w.]+', v or ''):
                failures.append(f'{name}.csv: an e-mail address in {k}')
    for col in rows[0].keys() if rows else []:
        if re.search(r'siren|siret|email|headcount|turnover|revenue|aid|cost|fee|phone', col):
            failures.append(f'{name}.csv: a private column {col!r}')
    return rows


# Listed members: the latest running membership of each member decides.
latest_membership = {}
for c, o, start, listed, name in sql.execute(
        """SELECT m.cluster_id, m.organisation_id, m.start_date, coalesce(m.listed, 0), o.name
           FROM membership m JOIN organisation o ON o.id = m.organisation_id
           WHERE m.end_date IS NULL"""):
    k = (c, o)
    if k not in latest_membership or start > latest_membership[k][0]:
        latest_membership[k] = (start, listed, name)
expected_members = sorted((c, name) for (c, o), (start, listed, name) in latest_membership.items()
                          if listed == 1)
got_members = sorted((r['cluster_id'], r['name']) for r in table('members'))
if got_members != expected_members:
    failures.append(f'members.csv: {len(got_members)} rows, {len(expected_members)} listed')
got_projects = {r['id'] for r in table('projects')}
if got_projects != public:
    failures.append(f'projects.csv: {len(got_projects)} projects, {len(public)} public')
partners = table('project_partners')
if {r['project_id'] for r in partners} - public:
    failures.append('project_partners.csv: a partner of a project that is not public')
if len(table('clusters')) != len(every) or len(table('calls')) != sql.execute(
        'SELECT count(*) FROM call').fetchone()[0]:
    failures.append('clusters.csv or calls.csv: not every row')

# Indicators: counts as SQL's; financing through the secrecy rule, equal to SQL's sums.
kinds = {}
for c, kind, n in sql.execute(
        """SELECT m.cluster_id, o.kind, count(DISTINCT m.organisation_id) FROM membership m
           JOIN organisation o ON o.id = m.organisation_id WHERE m.end_date IS NULL
           GROUP BY m.cluster_id, o.kind"""):
    kinds[(c, kind)] = n
financing = {}
for c, year, o, amount in sql.execute(
        """SELECT s.cluster_id, CAST(substr(s.date, 1, 4) AS INTEGER), p.organisation_id,
                  sum(p.financing_raised)
           FROM service_participant p JOIN service s ON s.id = p.service_id
           WHERE s.date IS NOT NULL AND p.financing_raised IS NOT NULL AND p.financing_raised != 0
           GROUP BY 1, 2, 3"""):
    for y in (year, 0):
        financing.setdefault((c, y), {}).setdefault(o, 0.0)
        financing[(c, y)][o] += amount
published = masked = 0
for r in table('indicators'):
    if r['indicator'] == 'members':
        if int(r['value']) != kinds.get((r['cluster_id'], r['category']), 0):
            failures.append(f'indicators.csv: {r} is not SQL\'s count')
    if r['indicator'] != 'services_financing':
        continue
    firms = financing.get((r['cluster_id'], int(r['year'])), {})
    if r['value'] == '':
        masked += 1
        if r['secret'] not in ('primary', 'secondary'):
            failures.append(f'indicators.csv: {r} empty without a reason')
        continue
    published += 1
    total = sum(abs(v) for v in firms.values())
    if firms and (len(firms) < 3 or max(abs(v) for v in firms.values()) > 0.85 * total):
        failures.append(f'indicators.csv: {r} publishes a cell that fails the rule '
                        f'({len(firms)} firms)')
    if abs(float(r['value']) - sum(firms.values())) > 1e-6 * max(1.0, total):
        failures.append(f'indicators.csv: {r} is not SQL\'s sum {sum(firms.values())}')
if published == 0 or masked == 0:
    failures.append(f'indicators.csv: {published} financing cells published, {masked} masked')
st, body = get('/api/public/v1/openapi.json')
paths = json.loads(body)['paths'] if st == 200 else {}
if not paths or any(not p.startswith('/api/public/v1/') for p in paths):
    failures.append(f'public OpenAPI: {sorted(paths)}')

server.terminate()
server.wait()
print(f'{pages} pages: {len(every)} clusters, {shown} public projects of '
      f'{sql.execute("SELECT count(*) FROM project").fetchone()[0]}; open data: '
      f'{len(got_members)} listed members, {published} financing cells published, {masked} masked')
for f in failures[:40]:
    print('FAIL', f)
if failures:
    print(f'{len(failures)} failure(s)')
    sys.exit(1)
print('every public page shows only what is public or consented to')
