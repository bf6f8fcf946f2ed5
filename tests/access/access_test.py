#!/usr/bin/python3
"""The access policy against a real `poles serve`, row by row of tests/access/expectations.csv.

    access_test.py POLES_BINARY SOURCE_DIR WORK_DIR [--only REGEX] [--base DB]

Builds the small demo (seed 2026) in WORK_DIR, adds one account per role, starts the server and
runs every row of the expectations table: the role, the entity (or route family), the action,
the relationship between the account and the row, and the HTTP status (or, for lists, whether
the row is `visible` or `hidden`) that the row expects. The table is written by hand from the
issue and docs/access.md's intent, never from the enforcement code; this runner only turns a
relationship into a concrete row of the demo, with SQL written here.

The small demo by default: it has every entity and every relationship the table names (clusters
sharing a region, projects labelled by several clusters, diagnostics, services, reviewers with
assignments and conflicts) and builds in seconds. `--base DB` runs the table on a copy of another
demo database instead (ctest's `access_expectations_france` gives it the france demo that its
fixture builds): the accounts' clusters are then chosen by SQL, and the rows that need the small
demo's shape (SMALL_ONLY below) are skipped, each named.

Updates and deletes send a stale If-Match unless the row says `current`: an allowed write then
answers 412 and changes nothing, a refused one 403, an unreadable row 404 (before any ETag is
compared). Exit status: 0 when every row matches, 1 otherwise (each difference printed, with the
row's name when it is a named attack).
"""
import csv
import fcntl
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
import urllib.parse
import urllib.request

POLES, SRC, WORK = sys.argv[1:4]
ONLY = re.compile(sys.argv[sys.argv.index('--only') + 1]) if '--only' in sys.argv else None
PASSWORD = 'access-test-password-2026'

BASE = sys.argv[sys.argv.index('--base') + 1] if '--base' in sys.argv else None

# The accounts and their scopes: a cluster of a region with several clusters.
C = 'demo-numerique-11-03'      # the cluster manager's cluster
REGION = '11'                   # the region account's region (C's)
C2 = 'demo-energie-11-04'       # another cluster of the region
CX = 'demo-aero-24-01'          # a cluster of another region
YEAR = 2022                     # the year evaluated and published
if BASE:
    # Another demo: a cluster of region 11 that diagnosed one of its members who took part in one
    # of its services (the member account), another of the region, one of region 24.
    _db = sqlite3.connect(f'file:{BASE}?mode=ro', uri=True)
    C = _db.execute("""SELECT d.cluster_id FROM diagnostic d JOIN cluster c ON c.id = d.cluster_id
      JOIN membership m ON m.organisation_id = d.organisation_id AND m.cluster_id = d.cluster_id
      JOIN service_participant sp ON sp.organisation_id = d.organisation_id
      JOIN service s ON s.id = sp.service_id AND s.cluster_id = d.cluster_id
      WHERE c.region = ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""", (REGION,)).fetchone()[0]
    C2 = _db.execute("SELECT id FROM cluster WHERE region = ? AND id <> ? ORDER BY id LIMIT 1",
                     (REGION, C)).fetchone()[0]
    CX = _db.execute("SELECT id FROM cluster WHERE region = '24' ORDER BY id LIMIT 1").fetchone()[0]
    _db.close()
# Rows that need the small demo's shape: its national peer group of two clusters; a sector whose
# project results cover one or two firms (every sector of the france demo has more).
SMALL_ONLY = {'regression_state_sees_every_peer_group', 'attack_invented_results_lift_sector_cell',
              'regression_state_reads_sector_results'}
# The small demo's clusters named in the table's paths, as the chosen clusters of another demo.
def on_this_demo(path):
    for small, here in (('demo-numerique-11-03', C), ('demo-energie-11-04', C2), ('demo-aero-24-01', CX)):
        path = path.replace(small, here)
    return path

os.makedirs(WORK, exist_ok=True)
DB = os.path.join(WORK, 'access.db')
for f in (DB, DB + '-wal', DB + '-shm', DB + '.admin-password', DB + '.snapshot'):
    if os.path.exists(f):
        os.remove(f)


def xlsx_of(csv_text):
    """The rows of a CSV text as an XLSX workbook (Python's openpyxl: an independent writer)."""
    import io
    import openpyxl
    wb = openpyxl.Workbook()
    for record in csv.reader(io.StringIO(csv_text)):
        wb.active.append(record)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(*args, env=None):
    r = subprocess.run([POLES, '--db', DB, *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})})
    if r.returncode != 0:
        sys.exit(f'poles {" ".join(args)}: {r.stderr}')
    return r.stdout


def build_template():
    """The small demo with the accounts below, built once per binary and shared by the runs of
    this directory (each named attack is its own test and starts from a copy): the demo takes
    seconds, more under the sanitizers."""
    template = os.path.join(os.path.dirname(os.path.abspath(WORK)),
                            'access-template-' + ('base' if BASE else 'small') + '.db')
    st = os.stat(POLES)
    stamp = f'{POLES} {st.st_mtime_ns} {st.st_size} {os.stat(__file__).st_mtime_ns} {BASE}'
    with open(template + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (os.path.exists(template) and os.path.exists(template + '.stamp') and
                open(template + '.stamp').read() == stamp):
            for f in (template, template + '-wal', template + '-shm', template + '.stamp', template + '.snapshot'):
                if os.path.exists(f):
                    os.remove(f)
            global DB
            final, DB = DB, template
            try:
                if BASE:
                    shutil.copyfile(BASE, template)
                    if os.path.exists(BASE + '.snapshot'):
                        shutil.copyfile(BASE + '.snapshot', template + '.snapshot')
                else:
                    run('demo', '--scale', 'small', '--seed', '2026', '--quiet')
                add_accounts()
            finally:
                DB = final
            db = sqlite3.connect(template)
            db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
            db.close()
            with open(template + '.stamp', 'w') as f:
                f.write(stamp)
        shutil.copyfile(template, DB)
        if os.path.exists(template + '.snapshot'):
            shutil.copyfile(template + '.snapshot', DB + '.snapshot')


# The member account: an organisation that is a member of C, diagnosed by C, in a service of C and
# a partner of a project with costs.
MEMBER_SQL = """SELECT d.organisation_id FROM diagnostic d
  JOIN membership m ON m.organisation_id = d.organisation_id AND m.cluster_id = ?
  JOIN service_participant sp ON sp.organisation_id = d.organisation_id
  JOIN service s ON s.id = sp.service_id AND s.cluster_id = ?
  WHERE d.cluster_id = ? AND EXISTS (SELECT 1 FROM participation pa
    WHERE pa.organisation_id = d.organisation_id AND pa.cost > 0)
  ORDER BY 1 LIMIT 1"""


def add_accounts():
    db = sqlite3.connect(DB)
    member_org = db.execute(MEMBER_SQL, (C, C, C)).fetchone()[0]
    reviewer = db.execute("SELECT reviewer_id FROM assignment GROUP BY 1 ORDER BY count(*) DESC, 1 "
                          "LIMIT 1").fetchone()[0]
    db.close()
    for name, (role, scope) in account_roles(member_org, reviewer).items():
        args = ['user', 'add', f'acc-{name.replace("_", "-")}', '--role', role]
        if scope:
            args += ['--scope', scope]
        run(*args, env={'POLES_PASSWORD': PASSWORD})


def account_roles(member_org, reviewer):
    return {
        'admin': ('admin', ''), 'state': ('state', ''), 'evaluator': ('evaluator', ''),
        'region': ('region', REGION), 'cluster_manager': ('cluster_manager', C),
        'reviewer': ('reviewer', reviewer), 'member': ('member', member_org),
    }


build_template()
sql = sqlite3.connect(DB)


def one(query, *params):
    row = sql.execute(query, params).fetchone()
    if row is None:
        sys.exit(f'no fixture row for: {query} {params}')
    return list(row)


MEMBER_ORG = one(MEMBER_SQL, C, C, C)[0]
# The reviewer account: the reviewer with the most assignments.
REVIEWER = one("SELECT reviewer_id FROM assignment GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")[0]

accounts = account_roles(MEMBER_ORG, REVIEWER)  # made with the demo (build_template)

with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    PORT = s.getsockname()[1]
server = subprocess.Popen([POLES, '--db', DB, 'serve', '--listen', f'127.0.0.1:{PORT}'],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
URL = f'http://127.0.0.1:{PORT}'


def http(method, path, token=None, body=None, headers=None):
    h = dict(headers or {})
    data = None
    if token:
        h['Authorization'] = f'Bearer {token}'
    if body is not None:
        data = json.dumps(body).encode()
        h['Content-Type'] = 'application/json'
    req = urllib.request.Request(URL + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, dict(r.headers), r.read().decode('utf-8', 'replace')
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode('utf-8', 'replace')


for _ in range(400):
    try:
        if http('GET', '/api/v1/health')[0] == 200:
            break
    except OSError:
        pass
    time.sleep(0.05)

tokens = {}
for name in accounts:
    status, headers, body = http('POST', '/api/v1/login',
                                 body={'name': f'acc-{name.replace("_", "-")}', 'password': PASSWORD})
    cookie = headers.get('Set-Cookie', '').split(';')[0]
    csrf = json.loads(body)['csrf']
    status, _, body = http('POST', '/api/v1/tokens', body={'label': 'access test'},
                           headers={'Cookie': cookie, 'X-CSRF-Token': csrf})
    tokens[name] = json.loads(body)['token']

KEYS = {  # the key fields of each entity, in URL order
    'cluster': ['id'], 'cluster_label': ['cluster_id', 'phase'], 'organisation': ['id'],
    'membership': ['organisation_id', 'cluster_id', 'start_date'],
    'member_census': ['year', 'cluster_id', 'organisation_id'], 'project': ['id'],
    'project_label': ['project_id', 'cluster_id'], 'project_event': ['project_id', 'status'],
    'participation': ['project_id', 'organisation_id'], 'result': ['id'], 'service': ['id'],
    'service_participant': ['service_id', 'organisation_id'],
    'diagnostic': ['organisation_id', 'date'], 'contract': ['id'],
    'contract_target': ['contract_id', 'indicator', 'year'], 'cluster_budget': ['cluster_id', 'year'],
    'assessment': ['cluster_id', 'year', 'criterion', 'evaluator'], 'call': ['id'],
    'proposal': ['id'], 'reviewer': ['id'], 'assignment': ['proposal_id', 'reviewer_id'],
    'review': ['proposal_id', 'reviewer_id', 'criterion'], 'decision': ['proposal_id'],
    'firm_year': ['siren', 'year'], 'employment': ['level', 'code', 'sector', 'year'],
    'truth': ['key'], 'territory': ['level', 'code'], 'funder': ['id'], 'programme': ['code'],
    'project_funding': ['project_id', 'funder_id'], 'national_figure': ['indicator', 'year'],
    'commune': ['code'], 'organisation_identifier': ['scheme', 'value'], 'filiere': ['id'],
    's3_domain': ['id'],
}

# The owner of a project: the cluster that labelled it first (the rule of docs/access.md, in SQL).
OWNER = """(SELECT l.cluster_id FROM project_label l WHERE l.project_id = {p}
            ORDER BY l.date, l.cluster_id LIMIT 1)"""


def project_where(rel):
    own = OWNER.format(p='p.id')
    return {
        'own-project': f"{own} = '{C}'",
        'region-project': f"(SELECT region FROM cluster WHERE id = {own}) = '{REGION}'",
        'colabelled-project': f"{own} <> '{C}' AND EXISTS (SELECT 1 FROM project_label x "
                              f"WHERE x.project_id = p.id AND x.cluster_id = '{C}')",
        'other-project': f"(SELECT region FROM cluster WHERE id = {own}) <> '{REGION}' AND NOT "
                         f"EXISTS (SELECT 1 FROM project_label x WHERE x.project_id = p.id AND "
                         f"x.cluster_id IN (SELECT id FROM cluster WHERE region = '{REGION}'))",
    }[rel]


def clusters_where(rel, col):
    return {
        'own-cluster': f"{col} = '{C}'",
        'region-cluster': f"{col} = '{C2}'",
        'other-cluster': f"{col} = '{CX}'",
    }[rel]


def find_row(entity, rel):
    """The key of a row of `entity` in relationship `rel` with the accounts, as a list."""
    keys = ', '.join(f't."{k}"' for k in KEYS[entity])
    base = f'SELECT {keys} FROM "{entity}" t'
    where = None
    if rel in ('any', 'public'):
        where = '1 = 1'
    elif rel in ('published-own-cluster', 'unpublished-own-cluster'):
        year = YEAR if rel.startswith('published') else YEAR - 1
        where = f"t.cluster_id = '{C}' AND t.year = {year}"
    elif rel == 'published-other-cluster':
        where = f"t.cluster_id = '{CX}' AND t.year = {YEAR}"
    elif entity == 'cluster' and rel.endswith('-cluster'):
        where = clusters_where(rel, 't.id')
    elif rel.endswith('-cluster') and entity in ('service_participant',):
        where = clusters_where(rel, '(SELECT cluster_id FROM service WHERE id = t.service_id)')
    elif rel.endswith('-cluster') and entity == 'contract_target':
        where = clusters_where(rel, '(SELECT cluster_id FROM contract WHERE id = t.contract_id)')
    elif rel.endswith('-cluster'):
        where = clusters_where(rel, 't.cluster_id')
    elif rel.endswith('-project'):
        pid = 't.id' if entity == 'project' else 't.project_id'
        where = f'EXISTS (SELECT 1 FROM project p WHERE p.id = {pid} AND {project_where(rel)})'
    elif rel == 'own-organisation':
        col = 't.id' if entity == 'organisation' else 't.organisation_id'
        where = f"{col} = '{MEMBER_ORG}'"
    elif rel == 'other-organisation':
        col = 't.id' if entity == 'organisation' else 't.organisation_id'
        # Another organisation, in nothing of the manager's cluster either.
        where = f"{col} <> '{MEMBER_ORG}'"
        if entity == 'diagnostic':
            where += f" AND coalesce(t.cluster_id, '') NOT IN (SELECT id FROM cluster WHERE region = '{REGION}')"
        if entity == 'service_participant':
            where += f" AND (SELECT cluster_id FROM service WHERE id = t.service_id) NOT IN (SELECT id FROM cluster WHERE region = '{REGION}')"
    elif rel == 'own-reviewer':
        where = f"t.{'id' if entity == 'reviewer' else 'reviewer_id'} = '{REVIEWER}'"
    elif rel == 'other-reviewer':
        where = f"t.{'id' if entity == 'reviewer' else 'reviewer_id'} <> '{REVIEWER}'"
    elif rel == 'assigned':
        pid = 't.id' if entity == 'proposal' else 't.proposal_id'
        where = f"EXISTS (SELECT 1 FROM assignment a WHERE a.proposal_id = {pid} AND a.reviewer_id = '{REVIEWER}')"
        if entity == 'review':
            where += f" AND t.reviewer_id = '{REVIEWER}'"
    elif rel == 'unassigned':
        pid = 't.id' if entity == 'proposal' else 't.proposal_id'
        where = f"NOT EXISTS (SELECT 1 FROM assignment a WHERE a.proposal_id = {pid} AND a.reviewer_id = '{REVIEWER}')"
    elif rel == 'assigned-other-reviewer':  # another reviewer's score of a proposal assigned to us
        where = (f"t.reviewer_id <> '{REVIEWER}' AND EXISTS (SELECT 1 FROM assignment a WHERE "
                 f"a.proposal_id = t.proposal_id AND a.reviewer_id = '{REVIEWER}')")
    elif rel == 'draft-year':  # a year whose evaluation is not published (at this moment)
        where = 't.year NOT IN (SELECT year FROM evaluation_publication)'
    elif rel == 'own-region':
        where = f"t.region = '{REGION}'"
    elif rel == 'other-region':
        where = f"t.region <> '{REGION}'"
    elif rel == 'own-assessment':
        where = "t.evaluator = 'acc-evaluator'"
    elif rel == 'other-assessment':
        where = "t.evaluator <> 'acc-evaluator'"
    if where is None:
        raise ValueError(f'no fixture for {entity} / {rel}')
    row = sql.execute(f'{base} WHERE {where} ORDER BY 1, 2 LIMIT 1' if len(KEYS[entity]) > 1
                      else f'{base} WHERE {where} ORDER BY 1 LIMIT 1').fetchone()
    if row is None:
        raise ValueError(f'no {entity} row is {rel}')
    return list(row)


def item_path(entity, key):
    return f'/api/v1/{entity}/' + '/'.join(urllib.parse.quote(str(k), safe='') for k in key)


counter = [0]


def fresh(prefix):
    counter[0] += 1
    return f'acc-{prefix}-{counter[0]}'


def admin_create(entity, body):
    status, _, text = http('POST', f'/api/v1/{entity}', tokens['admin'], body)
    if status != 201:
        raise ValueError(f'setup: admin could not create {entity} {body}: {status} {text}')


def new_body(entity, rel, token=None):
    """A body to create a row of `entity` in relationship `rel` (setting up what it needs; `token`:
    the caller's, for rows the caller's scope must have recorded itself)."""
    if entity == 'organisation':
        return {'id': fresh('org'), 'name': 'Organisation de test', 'kind': 'research'}
    if entity == 'project':
        return {'id': fresh('prj'), 'acronym': 'TEST', 'programme': 'FUI', 'status': 'idea'}
    if entity == 'membership':
        org = fresh('org')
        admin_create('organisation', {'id': org, 'name': 'Membre', 'kind': 'research'})
        cluster = {'own-cluster': C, 'region-cluster': C2, 'other-cluster': CX}[rel]
        return {'organisation_id': org, 'cluster_id': cluster, 'start_date': '2030-01-01'}
    if entity == 'project_label':
        # unlabelled-*: a fresh project nobody labelled, recorded by the caller; *-project: an
        # existing project.
        if rel.startswith('unlabelled'):
            prj = fresh('prj')
            st, _, text = http('POST', '/api/v1/project', token,
                               {'id': prj, 'acronym': 'T', 'programme': 'FUI', 'status': 'idea'})
            if st != 201:
                raise ValueError(f'setup: the caller could not record a project: {st} {text}')
            return {'project_id': prj, 'cluster_id': C, 'date': '2030-01-01'}
        prj = find_row('project', rel)[0]
        if rel == 'own-project':  # the owner accepts another cluster's co-label
            return {'project_id': prj, 'cluster_id': C2, 'date': '2035-01-01'}
        return {'project_id': prj, 'cluster_id': C, 'date': '2000-01-01'}
    if entity == 'project_funding':
        prj = find_row('project', rel)[0]
        funder = fresh('funder')
        admin_create('funder', {'id': funder, 'name': 'Financeur', 'kind': 'local_authority'})
        return {'project_id': prj, 'funder_id': funder, 'amount': 1000}
    if entity == 'programme':
        return {'code': fresh('prog'), 'name': 'Programme', 'scope': 'national'}
    if entity == 'filiere':
        return {'id': fresh('fil'), 'name': 'Filière'}
    if entity == 's3_domain':
        region = REGION if rel == 'own-region' else '84'  # a domain's id carries its region
        return {'id': f"s3-{region}-{fresh('dom')}", 'region': region,
                'name': 'Domaine de spécialisation'}
    if entity == 'national_figure':
        counter[0] += 1
        return {'indicator': 'members', 'year': 2040 + counter[0] % 50, 'statistic': 'median',
                'value': 100}
    if entity in ('participation', 'result', 'project_event'):
        prj = find_row('project', rel)[0]
        if entity == 'participation':
            org = fresh('org')
            admin_create('organisation', {'id': org, 'name': 'Partenaire', 'kind': 'research'})
            return {'project_id': prj, 'organisation_id': org, 'role': 'partner'}
        if entity == 'result':
            return {'id': fresh('res'), 'project_id': prj, 'kind': 'patent'}
        return {'project_id': prj, 'status': 'abandoned', 'date': '2030-01-01'}
    cluster = {'own-cluster': C, 'region-cluster': C2, 'other-cluster': CX}.get(rel, C)
    if entity == 'service':
        return {'id': fresh('svc'), 'cluster_id': cluster, 'kind': 'training', 'date': '2030-01-01'}
    if entity == 'service_participant':
        svc = fresh('svc')
        admin_create('service', {'id': svc, 'cluster_id': cluster, 'kind': 'training', 'date': '2030-01-01'})
        return {'service_id': svc, 'organisation_id': MEMBER_ORG, 'satisfaction': 4}
    if entity == 'diagnostic':
        return {'organisation_id': MEMBER_ORG, 'date': f'2030-01-{counter[0] % 28 + 1:02d}',
                'cluster_id': cluster, 'score': 50}
    if entity == 'member_census':
        counter[0] += 1
        return {'year': 2040 + counter[0] % 50, 'cluster_id': cluster, 'organisation_id': MEMBER_ORG}
    if entity == 'cluster_budget':
        counter[0] += 1
        return {'cluster_id': cluster, 'year': 2040 + counter[0] % 50, 'total': 1000000}
    if entity == 'contract':
        return {'id': fresh('ctr'), 'cluster_id': cluster, 'start_year': 2031, 'end_year': 2034}
    if entity == 'cluster':
        return {'id': fresh('cl'), 'name': 'Pôle de test', 'region': REGION, 'scale': 'regional'}
    if entity == 'cluster_label':
        cl = fresh('cl')
        admin_create('cluster', {'id': cl, 'name': 'Pôle de test', 'region': REGION, 'scale': 'regional'})
        return {'cluster_id': cl, 'phase': 5, 'start_year': 2031, 'end_year': 2034}
    if entity == 'assessment':
        counter[0] += 1
        return {'cluster_id': CX, 'year': 2030 + counter[0] % 50, 'criterion': 'structure',
                'evaluator': 'someone-else', 'score': 3, 'justification': 'test'}
    if entity == 'review':
        prop = find_row('proposal', rel)[0]
        return {'proposal_id': prop, 'reviewer_id': REVIEWER, 'criterion': fresh('crit'), 'score': 5}
    if entity == 'firm_year':
        counter[0] += 1
        return {'siren': '732829320', 'year': 2031 + counter[0] % 60, 'headcount': 3}
    if entity == 'truth':
        return {'key': fresh('truth'), 'value': 1}
    if entity == 'employment':
        counter[0] += 1
        return {'level': 'region', 'code': REGION, 'sector': '30', 'year': 2031 + counter[0] % 60, 'jobs': 1}
    if entity == 'territory':
        return {'level': 'department', 'code': '2A', 'name': 'Corse-du-Sud'}
    if entity == 'commune':
        counter[0] += 1
        return {'code': f'2A{900 + counter[0] % 99:03d}', 'name': 'Commune', 'kind': 'commune'}
    if entity == 'organisation_identifier':
        return {'scheme': 'directory:annuaire', 'value': fresh('adh'),
                'organisation_id': MEMBER_ORG if rel == 'own-organisation' else find_row('organisation', 'any')[0]}
    if entity == 'call':
        return {'id': fresh('call'), 'programme': 'FUI', 'title': 'Appel', 'budget': 1000}
    if entity == 'reviewer':
        return {'id': fresh('rev'), 'name': 'Experte'}
    if entity == 'decision':
        return {'proposal_id': find_row('proposal', 'any')[0], 'decision': 'funded'}
    if entity == 'proposal':
        return {'id': fresh('prop'), 'call_id': find_row('call', 'any')[0], 'applicant_id': MEMBER_ORG,
                'title': 'P', 'requested_aid': 1}
    if entity == 'contract_target':
        ctr = fresh('ctr')
        admin_create('contract', {'id': ctr, 'cluster_id': cluster, 'start_year': 2031, 'end_year': 2034})
        return {'contract_id': ctr, 'indicator': 'members', 'year': 2031, 'value': 1, 'direction': 'higher'}
    if entity == 'assignment':
        return {'proposal_id': find_row('proposal', 'unassigned')[0], 'reviewer_id': REVIEWER}
    raise ValueError(f'no body for {entity} / {rel}')


def current_etag(path):
    return http('GET', path, tokens['admin'])[1].get('ETag', '"none"')


def attack(name):
    """The requests of the named attacks that need more than a relationship (see the table)."""
    if name in ('attack_project_takeover_by_label', 'attack_project_takeover_by_label_region'):
        prj = find_row('project', 'other-project')[0]
        return [('POST', '/api/v1/project_label',
                 {'project_id': prj, 'cluster_id': C, 'date': '2000-01-01'}, None)]
    # A project with content and no label (imported from CORDIS, or left by an owner that
    # removed its last label) is not taken by a first label: the State labels it.
    # A project without a label is taken by a first label only in the scope that recorded it:
    # an import (FP7 projects have no partner rows) or another scope's project is the State's.
    if name in ('attack_label_imported_bare_project_takes_it',
                'regression_follow_on_does_not_block_label'):
        prj = fresh('prj')
        take = {'project_id': prj, 'cluster_id': C, 'date': '2030-01-01'}
        if name == 'attack_label_imported_bare_project_takes_it':
            return [('ADMIN-POST', '/api/v1/project',
                     {'id': prj, 'acronym': 'FP7', 'programme': 'OTHER', 'status': 'completed'}, None),
                    ('POST', '/api/v1/project_label', take, None)]
        return [('POST', '/api/v1/project', {'id': prj, 'acronym': 'MIEN', 'programme': 'FUI',
                                             'status': 'idea'}, None),
                ('POST@region', '/api/v1/project', {'id': fresh('prj'), 'acronym': 'SUITE',
                                                    'programme': 'FUI', 'status': 'idea',
                                                    'follow_on_of': prj}, None),
                ('POST', '/api/v1/project_label', take, None)]
    if name.startswith(('attack_label_project_with_content', 'attack_orphaned_project',
                        'regression_state_labels_project_with_content',
                        'regression_colabel_request_for_project_with_content')):
        prj = fresh('prj')
        setup = [('ADMIN-POST', '/api/v1/project',
                  {'id': prj, 'acronym': 'CORDIS', 'programme': 'H2020', 'status': 'running'}, None),
                 ('ADMIN-POST', '/api/v1/participation',
                  {'project_id': prj, 'organisation_id': MEMBER_ORG, 'role': 'coordinator'}, None)]
        take = {'project_id': prj, 'cluster_id': C, 'date': '2030-01-01'}
        label = ('GET', item_path('project_label', [prj, C]), None, None)
        if name == 'attack_label_project_with_content_takes_it':
            return setup + [('POST', '/api/v1/project_label', take, None),
                            ('PATCH', item_path('project', [prj]), {'title': 'pris'}, 'current')]
        if name == 'attack_label_project_with_content_takes_it_region':
            return setup + [('POST', '/api/v1/project_label', dict(take, cluster_id=C2), None)]
        if name == 'attack_orphaned_project_taken_by_first_label':
            return setup + [('ADMIN-POST', '/api/v1/project_label', take, None),
                            ('DELETE', item_path('project_label', [prj, C]), None, 'current'),
                            ('POST@region', '/api/v1/project_label', dict(take, cluster_id=C2), None)]
        if name == 'regression_state_labels_project_with_content':
            return setup + [('POST@state', '/api/v1/project_label', take, None), label]
        if name == 'regression_colabel_request_for_project_with_content':
            return setup + [('POST', '/api/v1/requests/colabel', {'project_id': prj}, None),
                            ('POST@state', '/api/v1/requests/{id}/accept', {}, None), label]
    if name == 'attack_funding_in_another_regions_name':
        # The manager (region 11) files money of region 24 on its own project: region 24 could
        # neither read the project's other rows nor correct it.
        prj = find_row('project', 'own-project')[0]
        return [('POST', '/api/v1/project_funding',
                 {'project_id': prj, 'funder_id': 'region-24', 'amount': 1000000}, None)]
    if name == 'attack_region_kept_from_its_money_on_another_regions_project':
        # The State files region 11's money on a project owned in region 24: region 11 reads it.
        prj = find_row('project', 'other-project')[0]
        return [('POST@admin', '/api/v1/project_funding',
                 {'project_id': prj, 'funder_id': 'region-11', 'amount': 5000}, None),
                ('GET', item_path('project_funding', [prj, 'region-11']), None, None)]
    if name == 'attack_region_files_another_regions_money':
        prj = find_row('project', 'region-project')[0]
        return [('POST', '/api/v1/project_funding',
                 {'project_id': prj, 'funder_id': 'feder-24', 'amount': 1000000}, None)]
    if name == 'attack_project_edit_by_colabel':
        prj = find_row('project', 'colabelled-project')[0]
        return [('PATCH', item_path('project', [prj]), {'title': 'pris'}, 'current')]
    if name == 'attack_project_delete_by_colabel':
        prj = find_row('project', 'colabelled-project')[0]
        return [('DELETE', item_path('project', [prj]), None, 'current')]
    if name == 'attack_colabel_backdated_takes_ownership':
        prj = find_row('project', 'colabelled-project')[0]
        return [('PATCH', item_path('project_label', [prj, C]), {'date': '1990-01-01'}, 'current')]
    if name in ('attack_organisation_edit_via_membership', 'attack_organisation_edit_via_membership_by_region'):
        org = sql.execute("""SELECT id FROM organisation o WHERE NOT EXISTS (SELECT 1 FROM membership m
            WHERE m.organisation_id = o.id AND m.cluster_id IN (SELECT id FROM cluster WHERE region = ?))
            AND o.region <> ? ORDER BY id LIMIT 1""", (REGION, REGION)).fetchone()[0]
        cluster = C if name.endswith('membership') else C2
        return [('POST', '/api/v1/membership',
                 {'organisation_id': org, 'cluster_id': cluster, 'start_date': '2031-01-01'}, None),
                ('PATCH', item_path('organisation', [org]), {'name': 'Renommée', 'turnover': 1}, 'current')]
    if name == 'regression_member_edits_other_organisation':
        org = find_row('organisation', 'other-organisation')[0]
        return [('PATCH', item_path('organisation', [org]), {'name': 'x'}, 'current')]
    if name == 'attack_review_score_via_412_etag':
        key = find_row('review', 'assigned-other-reviewer')
        return [('PATCH', item_path('review', key), {'score': 1}, 'stale')]
    if name == 'attack_review_of_unassigned_proposal_403_vs_404':
        key = find_row('review', 'unassigned')
        return [('GET', item_path('review', key), None, None)]
    if name == 'attack_review_delete_other_403_vs_404':
        key = find_row('review', 'assigned-other-reviewer')
        return [('DELETE', item_path('review', key), None, None)]
    if name == 'attack_conflicted_assignment':
        conflict = CONFLICT
        return [('POST', '/api/v1/assignment',
                 {'proposal_id': conflict[0], 'reviewer_id': conflict[1]}, None)]
    if name == 'attack_conflicted_assignment_import':
        csv_text = f'proposal_id,reviewer_id\n{CONFLICT[0]},{CONFLICT[1]}\n'
        return [('POST-CSV', '/api/v1/import/assignment', csv_text, None)]
    if name == 'attack_conflicted_assignment_import_padded':
        # A space inside the quotes: the check looked the raw cell up, the importer trims it.
        csv_text = f'proposal_id,reviewer_id\n" {CONFLICT[0]}",{CONFLICT[1]}\n'
        return [('POST-CSV', '/api/v1/import/assignment', csv_text, None)]
    if name == 'attack_conflicted_assignment_import_xlsx':
        # The same file as a workbook: the conflict check read only CSV and let it through.
        csv_text = f'proposal_id,reviewer_id\n{CONFLICT[0]},{CONFLICT[1]}\n'
        return [('POST-XLSX', '/api/v1/import/assignment', csv_text, None)]
    if name == 'attack_region_moves_s3_domain_out':
        # A domain of its own strategy moved into another Region's, which that Region would then
        # find among its priorities.
        key = find_row('s3_domain', 'own-region')
        return [('PATCH', item_path('s3_domain', key), {'region': '84'}, 'current')]
    if name == 'attack_region_moves_cluster':
        return [('PATCH', item_path('cluster', [C2]), {'region': '84'}, 'current')]
    if name == 'attack_region_sets_cluster_scale':
        # Its cluster put in a peer group of two: the peers' median gave the other cluster's
        # budget and staff (2 × median − its own), and the group its cluster is rated in changed.
        scale = one("SELECT scale FROM cluster WHERE id = ?", C2)[0]
        other = 'regional' if scale == 'national' else 'national'
        return [('PATCH', item_path('cluster', [C2]), {'name': 'Nom corrigé par la région'}, 'current'),
                ('PATCH', item_path('cluster', [C2]), {'scale': other}, 'current')]
    if name in ('attack_draft_agreement', 'regression_state_sees_draft_agreement'):
        # The agreement between evaluators of a year not yet published, computed over every
        # cluster's draft assessments.
        # Made here (other rows of the table delete draft assessments): two evaluators on one
        # criterion of a year that is not published.
        draft = YEAR - 3
        made = [('ADMIN-POST', '/api/v1/assessment',
                 {'cluster_id': C, 'year': draft, 'criterion': 'structure', 'evaluator': who,
                  'score': score, 'justification': 'brouillon'}, None)
                for who, score in (('agree-1', 2), ('agree-2', 3))]
        return made + [('SHOW', f'/api/v1/evaluate/assessments?year={draft}',
                        lambda j: j['agreement']['overall']['targets'] > 0, None)]
    if name in ('attack_published_peers_of_two', 'regression_state_sees_every_peer_group'):
        # The mean pillar scores of a peer group, to a manager who knows its own cluster's: with
        # two clusters in the group (the small demo's national one), the other's scores exactly.
        return [('SHOW', f'/api/v1/evaluate?year={YEAR}&draws=50&seed=1&sobol_n=0',
                 lambda j: any(g['clusters'] < 4 for g in j.get('peers', {}).values()), None)]
    if name == 'attack_region_moves_organisation':
        org = one("SELECT id FROM organisation WHERE region = ? ORDER BY id LIMIT 1", REGION)[0]
        return [('PATCH', item_path('organisation', [org]), {'commune': '69123', 'department': None,
                                                            'region': None}, 'current')]
    if name == 'attack_region_moves_membership_out':
        key = find_row('membership', 'region-cluster')
        return [('PUT', item_path('membership', key), None, 'current')]
    if name == 'attack_evaluator_overwrites_other_assessment':
        key = find_row('assessment', 'other-assessment')
        return [('PATCH', item_path('assessment', key), {'score': 1}, 'current')]
    if name == 'attack_evaluator_writes_as_other':
        return [('POST', '/api/v1/assessment',
                 {'cluster_id': CX, 'year': 2029, 'criterion': 'structure', 'evaluator': 'evaluateur-1',
                  'score': 1, 'justification': 'usurpation'}, None)]
    if name == 'attack_manager_writes_own_cluster_budget':
        key = find_row('cluster_budget', 'own-cluster')
        return [('PATCH', item_path('cluster_budget', key), {'total': 1e9}, 'current')]
    if name == 'attack_manager_creates_own_cluster_budget':
        return [('POST', '/api/v1/cluster_budget', {'cluster_id': C, 'year': 2039, 'total': 1}, None)]
    if name == 'attack_member_rewrites_own_membership':
        key = find_row('membership', 'own-organisation')
        path = item_path('membership', key)
        seat = one('SELECT coalesce(board_seat, 0) FROM membership WHERE organisation_id = ? AND '
                   'cluster_id = ? AND start_date = ?', *key)[0]
        return [('PATCH', path, {'listed': 1}, 'current'),
                ('PATCH', path, {'fee': 0.5}, 'current'),
                ('PATCH', path, {'end_date': '2039-12-31'}, 'current'),
                ('PATCH', path, {'board_seat': 1 - int(seat)}, 'current')]
    if name == 'attack_member_sets_own_siren':
        # A SIREN of the fiscal panel that no organisation holds: set on its own organisation,
        # it made that firm a "member" of /stats/firms, whose tables before and after gave its
        # figures. The member still corrects the rest of its master data (here its name).
        siren = one("""SELECT siren FROM firm_year WHERE siren NOT IN
            (SELECT siren FROM organisation WHERE siren IS NOT NULL) ORDER BY siren LIMIT 1""")[0]
        path = item_path('organisation', [MEMBER_ORG])
        return [('PATCH', path, {'name': 'Nom corrigé par le membre'}, 'current'),
                ('PATCH', path, {'siren': siren}, 'current')]
    if name in ('attack_manager_creates_organisation_with_siren',
                'attack_region_creates_organisation_with_siren'):
        siren = one("""SELECT siren FROM firm_year WHERE siren NOT IN
            (SELECT siren FROM organisation WHERE siren IS NOT NULL) ORDER BY siren DESC LIMIT 1""")[0]
        return [('POST', '/api/v1/organisation',
                 {'id': fresh('org'), 'name': 'Sans SIREN', 'kind': 'research'}, None),
                ('POST', '/api/v1/organisation',
                 {'id': fresh('org'), 'name': 'Avec SIREN', 'kind': 'company', 'siren': siren}, None)]
    if name == 'attack_create_409_oracle':
        # A diagnostic of another cluster (unreadable): proposing a row with its key, in its own
        # cluster, answered 409 and told that the firm was diagnosed on that date. It must look
        # like a create the manager may not make (a new key in another cluster).
        key = find_row('diagnostic', 'other-cluster')
        return [('POST', '/api/v1/diagnostic',
                 {'organisation_id': key[0], 'date': key[1], 'cluster_id': C, 'score': 50}, None),
                ('POST', '/api/v1/diagnostic',
                 {'organisation_id': key[0], 'date': '2039-12-31', 'cluster_id': CX, 'score': 50},
                 None)]
    if name in ('attack_paging_oracle', 'attack_paging_oracle_region'):
        entity = 'proposal' if name == 'attack_paging_oracle' else 'diagnostic'
        return [('PAGES', f'/api/v1/{entity}?limit=2', None, None)]
    if name == 'attack_cursor_leaks_keys':
        return [('CURSOR', '/api/v1/proposal?limit=1', None, None)]
    if name == 'attack_forged_cursor':
        import base64
        forged = base64.urlsafe_b64encode(b'["demo-prop-00001"]').decode().rstrip('=')
        return [('GET', f'/api/v1/proposal?limit=5&cursor={forged}', None, None)]
    # Profiles: per-firm figures shown only to whom may read the rows (SHOW: 'shown' or 'hidden').
    costs = lambda j: any(x.get('cost') is not None or x.get('aid') is not None
                          for x in j['participations'])
    if name in ('attack_project_profile_shows_partner_financing',
                'regression_owner_sees_partner_financing_in_profile'):
        rel = 'other-project' if name.startswith('attack') else 'own-project'
        prj = one(f"""SELECT p.id FROM project p WHERE {project_where(rel)} AND EXISTS (SELECT 1 FROM
            participation x WHERE x.project_id = p.id AND x.cost IS NOT NULL) ORDER BY 1 LIMIT 1""")[0]
        return [('SHOW', f'/api/v1/projects/{prj}/profile', costs, None)]
    if name == 'attack_project_profile_shows_results':
        prj = one("""SELECT project_id FROM result WHERE organisation_id <> ? AND revenue IS NOT NULL
            AND project_id NOT IN (SELECT project_id FROM participation WHERE organisation_id = ?)
            ORDER BY 1 LIMIT 1""", MEMBER_ORG, MEMBER_ORG)[0]
        return [('SHOW', f'/api/v1/projects/{prj}/profile', lambda j: bool(j['results']), None)]
    if name == 'attack_organisation_profile_shows_financing':
        org = one("""SELECT organisation_id FROM participation WHERE organisation_id <> ? AND cost IS
            NOT NULL ORDER BY 1 LIMIT 1""", MEMBER_ORG)[0]
        return [('SHOW', f'/api/v1/organisations/{urllib.parse.quote(org)}/profile', costs, None)]
    if name == 'regression_member_sees_own_financing_in_profile':
        return [('SHOW', f'/api/v1/organisations/{urllib.parse.quote(MEMBER_ORG)}/profile', costs,
                 None)]
    targets = lambda j: bool(j['contract_targets'])
    if name == 'attack_cluster_profile_shows_contract_targets':
        return [('SHOW', f'/api/v1/clusters/{C}/profile', targets, None)]
    if name == 'attack_cluster_profile_shows_other_contract_targets':
        return [('SHOW', f'/api/v1/clusters/{CX}/profile', targets, None)]
    if name in ('regression_manager_sees_own_contract_targets',
                'regression_region_sees_its_clusters_contract_targets'):
        return [('SHOW', f'/api/v1/clusters/{C2 if "region" in name else C}/profile', targets, None)]
    # A conflict that appears after the assignment: the reviewer moves to the applicant's
    # organisation (same organisation), then reads or scores the proposal; restored afterwards.
    if name.startswith('attack_conflict_after_assignment'):
        prop, applicant = one("""SELECT a.proposal_id, p.applicant_id FROM assignment a JOIN proposal p
            ON p.id = a.proposal_id WHERE a.reviewer_id = ? AND EXISTS (SELECT 1 FROM review v WHERE
            v.proposal_id = a.proposal_id AND v.reviewer_id = a.reviewer_id) ORDER BY 1 DESC LIMIT 1""",
                              REVIEWER)
        crit = one('SELECT criterion FROM review WHERE proposal_id = ? AND reviewer_id = ? ORDER BY 1',
                   prop, REVIEWER)[0]
        own_org = one('SELECT organisation_id FROM reviewer WHERE id = ?', REVIEWER)[0]
        rev_path = item_path('reviewer', [REVIEWER])
        st, _, text = http('PATCH', rev_path, tokens['admin'], {'organisation_id': applicant},
                           {'If-Match': current_etag(rev_path)})
        if st != 200:
            raise ValueError(f'setup: moving the reviewer answered {st} {text[:200]}')
        restore = ('ADMIN-PATCH', rev_path, {'organisation_id': own_org}, None)
        if name.endswith('_read'):
            return [('GET', item_path('proposal', [prop]), None, None), restore]
        if name.endswith('_my_proposals'):
            return [('SHOW', '/api/v1/select/my-proposals',
                     lambda j: any(i['id'] == prop for i in j['items']), None), restore]
        if name.endswith('_list'):
            return [('LIST-HAS', f'/api/v1/review?proposal_id={prop}&limit=1000', None, None),
                    restore]
        return [('PATCH', item_path('review', [prop, REVIEWER, crit]), {'score': 1}, 'current'),
                restore]
    # A diagnosis of another cluster's firm, dated after that cluster's last one: the firm's
    # latest scores moved from that cluster to the caller's, and the change of the means gave
    # them away. The unit is (firm, cluster): the other cluster's figures must not move.
    if name in ('attack_diagnosis_of_other_clusters_firm', 'regression_own_diagnosis_counts'):
        other = name.startswith('attack')
        firm = one(f"""SELECT organisation_id FROM diagnostic WHERE cluster_id {'=' if other else '<>'} ?
            AND date BETWEEN '2015-01-01' AND '2029-12-31' AND organisation_id NOT IN (SELECT
            organisation_id FROM diagnostic WHERE cluster_id = ?) ORDER BY 1 LIMIT 1""",
                   CX, C)[0]
        view = '/api/v1/services/diagnostics?from=2015&to=2030'
        st, _, text = http('GET', view, tokens['admin'])
        before = {c['cluster']: c['firms'] for c in json.loads(text)['clusters']}
        moved = lambda j: {c['cluster']: c['firms'] for c in j['clusters']}.get(CX) != before.get(CX)
        counted = lambda j: {c['cluster']: c['firms'] for c in j['clusters']}.get(C) == before.get(C, 0) + 1
        steps = [('POST', '/api/v1/diagnostic',
                  {'organisation_id': firm, 'date': '2030-06-15', 'cluster_id': C, 'score': 99,
                   'strategy': 99, 'customer': 99, 'operations': 99, 'data': 99, 'skills': 99,
                   'security': 99}, None)]
        return steps + [('SHOW', view, moved if other else counted, None)]
    # Membership rows are the cluster's: adding one for a firm of the panel and reading its
    # trends (member_jobs) or a sector sheet's member jobs before and after gave that firm's
    # headcount. Firm figures over members count the State's census (member_census), which only
    # the State releases; the regression: once the State releases the year, the firm counts.
    # A second release of the year moved the figure by the firm's headcount: the composition
    # rule holds back the changes of fewer than three firms (or of one dominant firm); three
    # firms of similar size are released.
    if name in ('attack_membership_moves_member_jobs', 'regression_census_release_counts_member',
                'attack_census_rerelease_reveals_joining_firm'):
        cluster = C2 if name.startswith('regression') else C
        year = 2020
        # Firms of the panel that year, members of another cluster that year (by its census: the
        # firms stay members of some cluster, so no sector sheet moves), of nothing of the
        # manager's or region's: for
        # the attacks, the largest ones; for the regression, three whose jobs and R&D staff are
        # alike (none above 85 % of the three in either: 200 to 2,000 jobs, the next R&D staffs).
        def panel_firms(where, order, n):
            return [r[0] for r in sql.execute(f"""SELECT o.id FROM organisation o JOIN firm_year f
                ON f.siren = o.siren WHERE f.year = ? AND {where} AND NOT EXISTS (SELECT 1 FROM
                membership m WHERE m.organisation_id = o.id AND m.cluster_id IN (?, ?)) AND EXISTS
                (SELECT 1 FROM member_census x WHERE x.organisation_id = o.id AND x.year = f.year)
                ORDER BY {order}, o.id LIMIT {n}""", (year, C, C2)).fetchall()]
        firms = (panel_firms('f.rd_staff > 0 AND f.headcount BETWEEN 200 AND 2000', 'f.rd_staff DESC', 3)
                 if name.startswith('regression') else panel_firms('f.headcount > 0', 'f.headcount DESC', 2))
        firm = firms[1 if name == 'attack_census_rerelease_reveals_joining_firm' else 0]
        view = f'/api/v1/evaluate/trends/{cluster}?from={year}&to={year}'
        pick = lambda j: next(i['values'] for i in j['indicators'] if i['id'] == 'member_jobs')
        before = pick(json.loads(http('GET', view, tokens['admin'])[2]))
        if before[0] is None:  # a masked figure cannot move: the attack would prove nothing
            raise ValueError(f'setup: member_jobs of {cluster} in {year} is not published')
        moved = lambda j: pick(j) != before
        add = {'organisation_id': firm, 'cluster_id': cluster, 'start_date': f'{year}-06-01'}
        release = ('ADMIN-POST', f'/api/v1/census/{year}', None, None)
        if name.startswith('regression'):
            # A laboratory (outside the panel) joins with a firm: the release of the year again
            # takes the laboratory and holds the firm back (a released year's firms are final).
            lab = fresh('org')
            census = lambda o: f'/api/v1/member_census?year={year}&cluster_id={cluster}&organisation_id={o}'
            listed = lambda j: bool(j['items'])
            return [('ADMIN-POST', '/api/v1/organisation', {'id': lab, 'name': 'Laboratoire', 'kind': 'research'}, None),
                    ('POST@region', '/api/v1/membership', dict(add, organisation_id=lab), None),
                    ('POST@region', '/api/v1/membership', dict(add, organisation_id=firms[0]), None),
                    release, ('SHOW@region', census(lab), listed, None),
                    ('SHOW@region', census(firms[0]), listed, None), ('SHOW@region', view, moved, None)]
        if name == 'attack_census_rerelease_reveals_joining_firm':
            return [('POST', '/api/v1/membership', add, None), release, ('SHOW', view, moved, None)]
        return [('POST', '/api/v1/membership', add, None), ('SHOW', view, moved, None)]
    # A firm's own figures in its master data (headcount, turnover, balance sheet) were read by
    # every account, one firm at a time, while every aggregate of them goes through the secrecy
    # engine: now the State's, evaluators' and the firm's own only.
    if name in ('attack_manager_reads_firm_turnover', 'attack_profile_shows_firm_turnover',
                'regression_member_reads_own_turnover'):
        org = MEMBER_ORG if name.startswith('regression') else one(
            'SELECT id FROM organisation WHERE turnover IS NOT NULL AND id <> ? ORDER BY id LIMIT 1',
            MEMBER_ORG)[0]
        figures = lambda o: any(o.get(f) is not None for f in ('headcount', 'turnover', 'balance_sheet'))
        if name == 'attack_profile_shows_firm_turnover':
            return [('SHOW', f'/api/v1/organisations/{urllib.parse.quote(org)}/profile',
                     lambda j: figures(j['organisation']), None)]
        return [('SHOW', item_path('organisation', [org]), figures, None)]
    if name == 'attack_organisations_filtered_on_turnover':
        turnover = one('SELECT turnover FROM organisation WHERE turnover IS NOT NULL ORDER BY id LIMIT 1')[0]
        return [('GET', f'/api/v1/organisation?turnover={turnover}&limit=10', None, None)]
    # The same through a sector sheet's member jobs: the manager deletes the only membership of a
    # firm of the panel (then it is restored). Counted from the census, the sheet does not move.
    if name == 'attack_membership_moves_sector_member_jobs':
        # Its only membership row (one row in the cluster, none elsewhere), in the panel's last year.
        firm, naf, start = one("""SELECT o.id, substr(f.naf, 1, 2), m.start_date FROM organisation o
            JOIN membership m ON m.organisation_id = o.id AND m.cluster_id = ? JOIN firm_year f ON
            f.siren = o.siren WHERE f.year = (SELECT max(year) FROM firm_year) AND f.headcount > 0
            AND f.naf IS NOT NULL AND (SELECT count(*) FROM membership x WHERE x.organisation_id =
            o.id) = 1 ORDER BY f.headcount DESC, o.id LIMIT 1""", C)
        row = dict(zip(['organisation_id', 'cluster_id', 'start_date', 'end_date', 'fee', 'board_seat'],
                       one("""SELECT organisation_id, cluster_id, start_date, end_date, fee, board_seat
                           FROM membership WHERE organisation_id = ? AND cluster_id = ? AND
                           start_date = ?""", firm, C, start)))
        row = {k: v for k, v in row.items() if v is not None}
        view = f'/api/v1/foresight/sectors/{naf}'
        before = json.loads(http('GET', view, tokens['admin'])[2])['member_jobs']
        if before['total']['value'] is None:  # a masked total cannot move
            raise ValueError(f'setup: the member jobs of sector {naf} are not published')
        path = item_path('membership', [firm, C, start])
        return [('DELETE', path, None, 'current'),
                ('SHOW', view, lambda j: j['member_jobs'] != before, None),
                ('ADMIN-POST', '/api/v1/membership', row, None)]
    # Results invented on a project the caller owns: seven "firms" lifted a sector's results cell
    # of two real firms over the rule, and subtracting its own gave the two firms' jobs.
    if name in ('attack_invented_results_lift_sector_cell', 'regression_state_reads_sector_results'):
        sectors = [i['sector'] for i in json.loads(http('GET', '/api/v1/foresight/sectors',
                                                        tokens['admin'])[2])['items']]
        # A sector and three start years whose results with jobs are of one or two firms, all of
        # the last year and on projects the manager's cluster does not label (it would know them),
        # read on the sheet for those years (it publishes a period as the sum of its years, and
        # masks it when one of them is masked: the invented project starts in the last year too,
        # so that to the State that year's cell is of seven contributions); years within the
        # employment data (2008-2023), which the window also sets (its projections need three).
        cells = sql.execute(
            """SELECT substr(p.sector, 1, 2), CAST(substr(p.start_date, 1, 4) AS INTEGER) AS y,
               count(DISTINCT coalesce(r.organisation_id, 'project:' || p.id)), max(p.start_date)
               FROM result r JOIN project p ON p.id = r.project_id
               WHERE r.jobs IS NOT NULL AND p.start_date IS NOT NULL AND NOT EXISTS
                 (SELECT 1 FROM project_label l WHERE l.project_id = p.id AND l.cluster_id = ?)
               GROUP BY 1, 2 ORDER BY 1, 2""", (C,)).fetchall()
        def others(d, y):  # results with jobs of sector d: in y - 2 and y - 1, or on C's in y
            return sql.execute(
                """SELECT count(*) FROM result r JOIN project p ON p.id = r.project_id
                   WHERE substr(p.sector, 1, 2) = ? AND r.jobs IS NOT NULL AND (
                   CAST(substr(p.start_date, 1, 4) AS INTEGER) BETWEEN ? AND ? OR
                   (CAST(substr(p.start_date, 1, 4) AS INTEGER) = ? AND EXISTS (SELECT 1 FROM
                    project_label l WHERE l.project_id = p.id AND l.cluster_id = ?)))""",
                (d, y - 2, y - 1, y, C)).fetchone()[0]
        sector, year, _, start = next(c for c in cells if c[0] in sectors and 2010 <= c[1] <= 2023
                                      and c[2] in (1, 2) and others(c[0], c[1]) == 0)
        orgs = [r[0] for r in sql.execute('SELECT id FROM organisation ORDER BY id LIMIT 5')]
        prj = fresh('prj')
        method = 'POST' if name.startswith('attack') else 'ADMIN-POST'
        project = {'id': prj, 'acronym': 'INV', 'programme': 'FUI', 'status': 'idea', 'sector': sector}
        if start:
            project['start_date'] = start
        steps = [(method, '/api/v1/project', project, None),
                 (method, '/api/v1/project_label', {'project_id': prj, 'cluster_id': C,
                                                    'date': '2030-01-01'}, None)]
        steps += [(method, '/api/v1/result', {'id': fresh('res'), 'project_id': prj,
                                              'organisation_id': o, 'kind': 'patent', 'jobs': 1000}, None)
                  for o in orgs]
        return steps + [('SHOW', f'/api/v1/foresight/sectors/{sector}?from={year - 2}&to={year}',
                         lambda j: j['results']['jobs']['value'] is not None, None)]
    # A partnership invented by a project's owner: the reviewer's organisation and the applicant
    # made partners of a new project of the manager's cluster, a "co-participation" conflict that
    # took the proposal away from the reviewer. Only the State's data withdraws a proposal.
    if name == 'attack_invented_partnership_withdraws_proposal':
        prop, applicant = one("""SELECT a.proposal_id, p.applicant_id FROM assignment a JOIN proposal p
            ON p.id = a.proposal_id WHERE a.reviewer_id = ? ORDER BY 1 LIMIT 1""", REVIEWER)
        reviewer_org = one('SELECT organisation_id FROM reviewer WHERE id = ?', REVIEWER)[0]
        prj = fresh('prj')
        return [('POST', '/api/v1/project', {'id': prj, 'acronym': 'FAUX', 'programme': 'FUI',
                                             'status': 'idea'}, None),
                ('POST', '/api/v1/project_label', {'project_id': prj, 'cluster_id': C,
                                                   'date': '2030-01-01'}, None),
                ('POST', '/api/v1/participation', {'project_id': prj, 'organisation_id': reviewer_org,
                                                   'role': 'partner'}, None),
                ('POST', '/api/v1/participation', {'project_id': prj, 'organisation_id': applicant,
                                                   'role': 'coordinator'}, None),
                ('GET@reviewer', item_path('proposal', [prop]), None, None)]
    # Financing raised after the SME services, by cluster, with its total: when the region's
    # own clusters' cells and one other cluster's were masked together and the total shown, the
    # region, which reads its clusters' rows, subtracted and got the other cluster's cell.
    if name in ('attack_services_financing_by_subtraction', 'regression_region_reads_own_clusters_financing'):
        def region_of(c):
            return one('SELECT region FROM cluster WHERE id = ?', c)[0]
        def leak(j):
            others = [c for c in j['clusters'] if c['financing_raised']['value'] is None
                      and region_of(c['cluster']) != REGION]
            return j['totals']['financing_raised']['value'] is not None and len(others) == 1
        def own_shown(j):
            return all(c['financing_raised']['value'] is not None for c in j['clusters']
                       if region_of(c['cluster']) == REGION)
        return [('SHOW', '/api/v1/services/summary?from=2016&to=2020',
                 leak if name.startswith('attack') else own_shown, None)]
    # Requests to the owner instead of rights gained by link rows: a co-label asked of the
    # project's owner, a change of master data proposed to the organisation; accepting writes
    # with the decider's rights only.
    if name.startswith(('attack_colabel_request', 'regression_colabel_request', 'attack_request_')):
        rel = 'region-project' if name == 'regression_colabel_request_accepted_by_owner' else 'other-project'
        # A project per attack: the rows of one run share the server (one pending request per
        # project and cluster).
        nth = ['regression_colabel_request_accepted_by_owner', 'attack_colabel_request_accepted_by_requester',
               'attack_request_read_by_outsider', 'attack_request_withdrawn_by_outsider',
               'attack_colabel_request_backdated_takes_project'].index(name)
        prj = one(f"""SELECT p.id FROM project p WHERE {project_where(rel)} AND NOT EXISTS (SELECT 1 FROM
            project_label x WHERE x.project_id = p.id AND x.cluster_id = '{C}') ORDER BY 1 LIMIT 1
            OFFSET {nth}""")[0]
        ask = ('POST', '/api/v1/requests/colabel', {'project_id': prj, 'comment': 'co-financement'}, None)
        label = ('GET', item_path('project_label', [prj, C]), None, None)
        if name == 'regression_colabel_request_accepted_by_owner':
            return [ask, ('POST@region', '/api/v1/requests/{id}/accept', {'answer': 'bienvenue'}, None), label]
        if name == 'attack_colabel_request_accepted_by_requester':
            return [ask, ('POST', '/api/v1/requests/{id}/accept', {}, None), label]
        if name == 'attack_request_read_by_outsider':
            return [ask, ('GET@member', '/api/v1/requests/{id}', None, None),
                    ('POST@member', '/api/v1/requests/{id}/accept', {}, None),
                    ('LIST-HAS@member', '/api/v1/requests?status=pending', None, None)]
        if name == 'attack_colabel_request_backdated_takes_project':
            return [('POST', '/api/v1/requests/colabel', {'project_id': prj, 'date': '2000-01-01'}, None),
                    ('POST', '/api/v1/requests/colabel', {'project_id': prj, 'comment': 'x' * 3000}, None)]
        if name == 'attack_request_withdrawn_by_outsider':
            return [ask, ('DELETE@member', '/api/v1/requests/{id}', None, None),
                    ('DELETE@evaluator', '/api/v1/requests/{id}', None, None),
                    ('DELETE', '/api/v1/requests/{id}', None, None)]
    if name.startswith(('regression_organisation_change', 'attack_organisation_change')):
        proposed = f'Nom proposé par le pôle ({name[-20:]})'
        changes = ({'siren': '732829320'} if name.endswith('_siren') else
                   {'turnover': 0, 'size_class': 'ge'} if name.endswith('_size_probe') else {'name': proposed})
        # The member account's organisation, a current member of the cluster (it left once).
        rejoin = ('ADMIN-POST', '/api/v1/membership',
                  {'organisation_id': MEMBER_ORG, 'cluster_id': C, 'start_date': '2024-01-01'}, None)
        ask = ('POST', '/api/v1/requests/organisation',
               {'organisation_id': MEMBER_ORG, 'changes': changes}, None)
        renamed = ('SHOW@admin', item_path('organisation', [MEMBER_ORG]),
                   lambda j: j['name'] == proposed, None)
        if name == 'regression_organisation_change_accepted_by_member':
            return [rejoin, ask, ('POST@member', '/api/v1/requests/{id}/accept', {}, None), renamed]
        if name == 'attack_organisation_change_accepted_by_requester':
            return [rejoin, ask, ('POST', '/api/v1/requests/{id}/accept', {}, None), renamed]
        if name in ('attack_organisation_change_siren', 'attack_organisation_change_size_probe'):
            return [rejoin, ask]  # the State's field, the firm's own figures: not proposed
        if name == 'attack_organisation_change_of_non_member':
            other = one("""SELECT id FROM organisation WHERE id NOT IN (SELECT organisation_id FROM
                membership WHERE cluster_id = ?) ORDER BY id LIMIT 1""", C)[0]
            return [('POST', '/api/v1/requests/organisation',
                     {'organisation_id': other, 'changes': {'name': 'x'}}, None)]
    # The assessments of a published year are frozen, for every role and every path.
    if name == 'attack_published_assessment_created':
        return [('POST', '/api/v1/assessment',
                 {'cluster_id': C2, 'year': YEAR, 'criterion': 'structure', 'evaluator': 'acc-admin', 'score': 1,
                  'justification': 'ajoutée après publication'}, None)]
    if name == 'attack_published_assessment_updated':
        key = find_row('assessment', 'published-own-cluster')
        return [('PATCH', item_path('assessment', key), {'score': 1}, 'current')]
    if name == 'attack_published_assessment_deleted':
        key = find_row('assessment', 'published-own-cluster')
        return [('DELETE', item_path('assessment', key), None, 'current')]
    if name == 'attack_published_assessment_imported':
        csv_text = ('cluster_id,year,criterion,evaluator,score,justification\n'
                    f'{C},{YEAR},structure,acc-import,1,importée\n')
        return [('POST-CSV', '/api/v1/import/assessment', csv_text, None)]
    if name == 'attack_published_assessment_imported_xlsx':
        csv_text = ('cluster_id,year,criterion,evaluator,score,justification\n'
                    f'{C},{YEAR},structure,acc-import,1,importée\n')
        return [('POST-XLSX', '/api/v1/import/assessment', csv_text, None)]
    if name == 'regression_write_refusal_in_french':  # no code left: role, operation, entity...
        prj = find_row('project', 'colabelled-project')[0]
        return [('FRENCH', item_path('project', [prj]), {'title': 'pris'}, 'current')]
    if name == 'regression_published_assessment_refusal_in_french':
        key = find_row('assessment', 'published-own-cluster')
        return [('FRENCH', item_path('assessment', key), {'score': 1}, 'current')]
    # An identifier routes a file's rows to the organisation it names at the next import (a
    # CORDIS release's projects by PIC, a directory's members by their number): only the State
    # and imports write them.
    if name == 'attack_member_claims_a_pic_to_draw_eu_projects':
        return [('POST', '/api/v1/organisation_identifier',
                 {'scheme': 'pic', 'value': '999987939', 'organisation_id': MEMBER_ORG}, None)]
    if name == 'attack_manager_repoints_an_identifier':
        value = fresh('adh')
        other = find_row('organisation', 'other-organisation')[0]
        return [('ADMIN-POST', '/api/v1/organisation_identifier',
                 {'scheme': 'directory:annuaire', 'value': value, 'organisation_id': other}, None),
                ('PATCH', item_path('organisation_identifier', ['directory:annuaire', value]),
                 {'organisation_id': MEMBER_ORG}, 'current')]
    # The ids the imports give a legal unit and a CORDIS participant are theirs: an organisation
    # recorded under one becomes that unit (its SIREN, firm figures) or receives that
    # participant's EU projects at the next import.
    if name == 'attack_manager_plants_a_siren_id':
        return [('POST', '/api/v1/organisation',
                 {'id': 'siren:552081317', 'name': 'EDF', 'kind': 'company'}, None)]
    if name == 'attack_region_plants_a_cordis_id':
        return [('POST', '/api/v1/organisation',
                 {'id': 'cordis:999987939', 'name': 'ESF', 'kind': 'other'}, None)]
    if name == 'attack_manager_plants_a_cordis_project':
        return [('POST', '/api/v1/project',
                 {'id': 'cordis:101999999', 'acronym': 'PLANT', 'programme': 'HORIZON_EUROPE',
                  'status': 'running'}, None)]
    # The State's decisions after a published evaluation (app/decisions.h): the State decides
    # (a step of the state account), the cluster's manager answers for its own cluster only.
    decision = {'level': 2, 'text': 'Revue à 18 mois.', 'deadline': f'{YEAR + 1}-06-30',
                'owner': 'DGE', 'documents': []}
    def decided(cluster):
        return ('PUT@state', f'/api/v1/evaluate/decisions/{YEAR}/{cluster}', decision, None)
    if name == 'attack_manager_answers_other_clusters_decision':
        return [decided(CX), ('POST', f'/api/v1/evaluate/decisions/{YEAR}/{CX}/answer',
                              {'answer': 'accepté'}, None)]
    if name == 'attack_manager_reads_other_clusters_decision':
        return [decided(CX), ('GET', f'/api/v1/evaluate/decisions/{YEAR}/{CX}', None, None)]
    if name == 'attack_region_lists_other_regions_decisions':
        return [decided(CX), ('LIST-HAS', f'/api/v1/evaluate/decisions?cluster={CX}', None, None)]
    if name == 'attack_region_answers_for_its_cluster':
        return [decided(C), ('POST', f'/api/v1/evaluate/decisions/{YEAR}/{C}/answer',
                             {'answer': 'accepté'}, None)]
    if name == 'attack_manager_lowers_own_decision':
        return [decided(C), ('PUT', f'/api/v1/evaluate/decisions/{YEAR}/{C}',
                             dict(decision, level=0), None)]
    if name == 'attack_decision_document_script_link':
        return [('PUT', f'/api/v1/evaluate/decisions/{YEAR}/{C}',
                 dict(decision, documents=[{'title': 'Courrier', 'url': 'javascript:alert(1)'}]),
                 None)]
    if name == 'regression_manager_answers_own_decision':
        return [decided(C), ('POST', f'/api/v1/evaluate/decisions/{YEAR}/{C}/answer',
                             {'answer': 'Plan adopté.'}, None)]
    if name == 'regression_region_reads_its_clusters_decision':
        return [decided(C2), ('GET', f'/api/v1/evaluate/decisions/{YEAR}/{C2}', None, None)]
    raise ValueError(f'no attack named {name}')


def evaluate_request(entity, rel):
    year = YEAR if not rel.startswith('unpublished') else YEAR - 1
    cluster = {'published-own-cluster': C, 'unpublished-own-cluster': C,
               'published-region-cluster': C2, 'published-other-cluster': CX}.get(rel, C)
    if entity == 'evaluation':
        return f'/api/v1/evaluate?year={year}&draws=50&sobol_n=0', cluster
    if entity == 'cluster_report':
        return f'/api/v1/reports/cluster/{cluster}?year={year}&draws=50&sobol_n=0&format=html&lang=fr', cluster
    raise ValueError(entity)


# Publish the year's evaluation (the State) before the rows that read it.
status, _, text = http('POST', f'/api/v1/evaluate/publications/{YEAR}?draws=100&seed=1&sobol_n=0',
                       tokens['state'])
if status != 201:
    print(f'note: publishing {YEAR} answered {status} {text[:200]}')
# An assessment of the manager's cluster for a year that is not published.
admin_create('assessment', {'cluster_id': C, 'year': YEAR - 1, 'criterion': 'structure',
                            'evaluator': 'setup', 'score': 3, 'justification': 'draft'})
# A conflicted pair that is not assigned: from the conflict detector, as the State sees it.
CONFLICT = None
for call in [r[0] for r in sql.execute('SELECT id FROM call ORDER BY id')]:
    st, _, body = http('GET', f'/api/v1/select/calls/{call}/conflicts', tokens['state'])
    if st != 200:
        continue
    for item in json.loads(body)['items']:
        if not sql.execute('SELECT 1 FROM assignment WHERE proposal_id = ? AND reviewer_id = ?',
                           (item['proposal'], item['reviewer'])).fetchone():
            CONFLICT = (item['proposal'], item['reviewer'])
            break
    if CONFLICT:
        break


def run_row(row):
    role, entity, action, rel, expected = (row['role'], row['entity'], row['action'],
                                           row['relationship'], row['expected'])
    token = tokens.get(role)
    if ((row['name'].startswith('attack_') and entity != 'route') or row['action'] == 'show' or
            row['name'].endswith('_in_french') or entity == 'evaluation_decisions'):
        steps = attack(row['name'])
        answers, details = [], []
        created = None  # the id of the last row a step created (for '{id}' in a later path)
        for method, path, body, if_match in steps:
            token = tokens.get(role)
            if '@' in method:  # a step of another account (METHOD@role)
                method, other_role = method.split('@')
                token = tokens[other_role]
            if created and '{id}' in path:
                path = path.replace('{id}', created)
            if method == 'PAGES':
                # Every page but the last is full, and a cursor never leads to an empty page.
                shape, url, seen = 'full', path, 0
                while url and seen < 400:
                    st, _, text = http('GET', url, token)
                    if st != 200:
                        shape = str(st)
                        break
                    page = json.loads(text)
                    seen += 1
                    cursor = page.get('next_cursor')
                    if cursor and len(page['items']) < 2 or (seen > 1 and not page['items']):
                        shape = f'short page {seen}'
                        break
                    url = f'{path}&cursor={cursor}' if cursor else None
                answers.append(shape)
                continue
            if method == 'CURSOR':
                st, _, text = http('GET', path, token)
                cursor = json.loads(text).get('next_cursor') if st == 200 else None
                leaked = False
                if cursor:
                    import base64
                    raw = base64.urlsafe_b64decode(cursor + '=' * (-len(cursor) % 4))
                    leaked = b'demo-' in raw or b'prop' in raw
                answers.append('leaks' if leaked else 'opaque')
                continue
            if method == 'FRENCH':  # the refusal's detail, localised by Accept-Language
                st, _, text = http('PATCH', path, token, body,
                                   {'If-Match': current_etag(path), 'Accept-Language': 'fr'})
                detail = json.loads(text).get('detail', '')
                answers.append(f'{st} {detail}')
                continue
            if method == 'ADMIN-POST':  # a fixture the attack needs (already there: 409, fine)
                http('POST', path, tokens['admin'], body)
                continue
            if method == 'ADMIN-PATCH':  # restores what the attack's setup changed
                http('PATCH', path, tokens['admin'], body, {'If-Match': current_etag(path)})
                continue
            if method == 'LIST-HAS':
                st, _, text = http('GET', path, token)
                answers.append(('visible' if json.loads(text)['items'] else 'hidden') if st == 200
                               else str(st))
                continue
            if method == 'SHOW':
                st, _, text = http('GET', path, token)
                answers.append(('shown' if body(json.loads(text)) else 'hidden') if st == 200
                               else str(st))
                continue
            if method in ('POST-CSV', 'POST-XLSX'):
                data, media = body.encode(), 'text/csv'
                if method == 'POST-XLSX':  # the same rows in a workbook (openpyxl, from Debian)
                    data = xlsx_of(body)
                    media = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
                req = urllib.request.Request(URL + path, data=data, method='POST',
                                             headers={'Authorization': f'Bearer {token}',
                                                      'Content-Type': media})
                try:
                    with urllib.request.urlopen(req, timeout=300) as r:
                        answers.append(str(r.status))
                except urllib.error.HTTPError as e:
                    answers.append(str(e.code))
                continue
            h = {}
            if if_match == 'current':
                h['If-Match'] = current_etag(path)
            elif if_match == 'stale':
                h['If-Match'] = '"0000000000000000"'
            st, headers, text = http(method, path, token, body, h)
            answers.append(str(st))
            if st == 201 and text.startswith('{'):
                created = json.loads(text).get('id', created)
            if row['name'].endswith('_oracle'):
                details.append(json.loads(text).get('detail') if st >= 400 else text)
            if 'etag' in row['name'] and (headers.get('ETag') or re.search(r'is now', text)):
                answers[-1] += '+etag'
        if len(details) > 1:  # an oracle: every answer must be the same, word for word
            answers.append('same' if len(set(details)) == 1 else 'differs')
        # An expectation of several words is the answer of each step; of one, the last step's.
        got = ' '.join(answers) if ' ' in row['expected'] else answers[-1]
        return got, ' '.join(answers) + ' ' + ' | '.join(str(d) for d in details)[:300]
    if entity == 'route':
        st, _, text = http(action, on_this_demo(rel), token, {} if action in ('POST', 'PUT', 'PATCH') else None)
        return str(st), text[:160]
    if entity == 'publication':
        st, _, text = http('POST', f'/api/v1/evaluate/publications/{YEAR - 1}?draws=100&sobol_n=0', token)
        return str(st), text[:160]
    if entity in ('evaluation', 'cluster_report'):
        path, cluster = evaluate_request(entity, rel)
        st, _, text = http('GET', path, token)
        if st == 200 and entity == 'evaluation':
            shown = [c['cluster'] for c in json.loads(text)['clusters']]
            if role in ('region', 'cluster_manager') and any(
                    one('SELECT region FROM cluster WHERE id = ?', c)[0] != REGION or
                    (role == 'cluster_manager' and c != C) for c in shown):
                return 'leaks', f'{st} clusters {shown}'
        return str(st), text[:160]
    if action == 'read':
        key = find_row(entity, rel)
        st, headers, text = http('GET', item_path(entity, key), token)
        return str(st), text[:160]
    if action == 'list':
        key = find_row(entity, rel)
        filters = '&'.join(f'{k}={urllib.parse.quote(str(v))}' for k, v in zip(KEYS[entity], key))
        st, _, text = http('GET', f'/api/v1/{entity}?{filters}&limit=1000', token)
        if st != 200:
            return str(st), text[:160]
        items = json.loads(text)['items']
        return ('visible' if items else 'hidden'), f'{len(items)} row(s)'
    if action == 'create':
        body = new_body(entity, rel, token)
        st, _, text = http('POST', f'/api/v1/{entity}', token, body)
        return str(st), text[:400]
    if action in ('update', 'delete'):
        key = find_row(entity, rel)
        method = 'PATCH' if action == 'update' else 'DELETE'
        st, _, text = http(method, item_path(entity, key), token, {} if action == 'update' else None,
                           {'If-Match': '"0000000000000000"'})
        return str(st), text[:160]
    raise ValueError(f'unknown action {action}')


failures = 0
count = 0
with open(os.path.join(SRC, 'tests/access/expectations.csv'), newline='') as f:
    rows = [r for r in csv.DictReader(f) if r['role'] and not (r['name'] or '').startswith('#')]
try:
    for row in rows:
        label = row['name'] or f"{row['role']} {row['action']} {row['entity']} ({row['relationship']})"
        if ONLY and not ONLY.search(label):
            continue
        if BASE and row['name'] in SMALL_ONLY:
            print(f'skipped on this demo (needs the small one): {row["name"]}')
            continue
        count += 1
        started = time.monotonic()
        try:
            got, detail = run_row(row)
        except (ValueError, KeyError, TypeError, IndexError, StopIteration) as e:
            got, detail = 'fixture-error', repr(e)
        if time.monotonic() - started > 2 and os.environ.get('VERBOSE'):
            print(f'slow {label}: {time.monotonic() - started:.1f} s')
        if got != on_this_demo(row['expected']):
            failures += 1
            print(f'FAIL {label}: expected {row["expected"]}, got {got} — {detail}')
        elif os.environ.get('VERBOSE'):
            print(f'ok   {label}: {got}')
finally:
    server.terminate()
    server.wait(timeout=30)
print(f'access: {count - failures} of {count} expectations hold')
sys.exit(1 if failures else 0)
