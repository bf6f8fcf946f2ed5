#!/usr/bin/python3
"""Support requests from the public portal, end to end over HTTP, against the database (every
expectation written here by hand or read with SQL, never computed by the server's code):

- the form refuses a form sent too quickly (signed stamp), a stamp forged, read from another
  address or used twice, a post from another site, bad fields (SIREN, e-mail — mailto parameters
  too —, need, HTML), each with its message in French, keeps what was typed (escaped) and stores
  nothing;
- a robot filling the honeypot is answered as a person is (a link that leads nowhere), and
  nothing is stored;
- a request is routed to the cluster the firm chose, or else to the labelled cluster of its region
  and theme; sending one does not move the data version (no cache is emptied);
- the tracking link shows the status, the cluster and its answer, never the name, e-mail or SIREN,
  and is not cached, not indexed, not sent on as a referrer; a wrong link answers 404; the firm
  erases its request from it;
- the inbox: the routed cluster's manager, its region and the State read it; another cluster's
  manager and another region do not see it (404); a member and an evaluator may not ask (403); the
  region may not answer (403); statuses move received → taken → answered → closed, an answer is
  plain text and required to answer, closed is final (409);
- a flood of requests from one address is limited (429 with Retry-After) while another address
  still sends, and the portal's pages still answer the flooding address;
- a person logged into the dashboard posts the form as anyone (no CSRF header needed);
- a request past its deletion date is no longer read, then deleted (GDPR), with its tracking link.

usage: support_test.py POLES SOURCE_DIR WORK_DIR
"""
import html
import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse

POLES, SRC, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
DB = os.path.join(WORK, 'support.db')
for f in (DB, DB + '-wal', DB + '-shm', DB + '.snapshot', DB + '.admin-password'):
    if os.path.exists(f):
        os.remove(f)
subprocess.run([POLES, '--db', DB, 'demo', '--scale', 'small', '--seed', '2026', '--quiet'],
               check=True, capture_output=True)
sql = sqlite3.connect(DB, isolation_level=None)

# Fixtures: two clusters labelled now, in two regions; the first with a theme of its own region.
latest = sql.execute('SELECT max(phase) FROM cluster_label').fetchone()[0]
current = sql.execute(
    """SELECT c.id, c.name, c.region, c.themes FROM cluster c WHERE c.id IN
       (SELECT cluster_id FROM cluster_label WHERE phase = ?) ORDER BY c.name""", (latest,)).fetchall()
C, C_NAME, REGION, THEMES = current[0]
THEME = THEMES.split('|')[0]
C2, C2_NAME, REGION2, _ = next(c for c in current if c[2] != REGION)
# The cluster a request of REGION and THEME goes to, by the rule of docs/portal.md (region 2,
# theme 3, ties by name), in SQL.
ROUTED = sql.execute(
    """SELECT id FROM cluster WHERE id IN (SELECT cluster_id FROM cluster_label WHERE phase = ?)
       ORDER BY (CASE WHEN region = ? THEN 2 ELSE 0 END) +
                (CASE WHEN '|' || themes || '|' LIKE ? THEN 3 ELSE 0 END) DESC, name LIMIT 1""",
    (latest, REGION, f'%|{THEME}|%')).fetchone()[0]
MEMBER = sql.execute('SELECT organisation_id FROM membership WHERE cluster_id = ? LIMIT 1',
                     (C,)).fetchone()[0]
PASSWORD = 'une phrase de passe bien longue pour le test'
ACCOUNTS = {'manager': ('cluster_manager', C), 'manager2': ('cluster_manager', C2),
            'region': ('region', REGION), 'region2': ('region', REGION2), 'state': ('state', ''),
            'member': ('member', MEMBER), 'evaluator': ('evaluator', '')}
for name, (role, scope) in ACCOUNTS.items():
    args = [POLES, '--db', DB, 'user', 'add', f'sup-{name}', '--role', role]
    if scope:
        args += ['--scope', scope]
    subprocess.run(args, check=True, capture_output=True, env={**os.environ, 'POLES_PASSWORD': PASSWORD})

with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    PORT = s.getsockname()[1]
server = subprocess.Popen([POLES, '--db', DB, 'serve', '--listen', f'127.0.0.1:{PORT}',
                           '--anonymous-rate', '0', '--web-root', os.path.join(SRC, 'web')],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def call(method, path, body=None, headers=None, source='127.0.0.1', form=None, token=None):
    h = dict(headers or {})
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        h['Content-Type'] = 'application/x-www-form-urlencoded'
    elif body is not None:
        data = json.dumps(body).encode()
        h['Content-Type'] = 'application/json'
    if token:
        h['Authorization'] = f'Bearer {token}'
    conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=120, source_address=(source, 0))
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    out = r.status, dict(r.getheaders()), r.read().decode('utf-8', 'replace')
    conn.close()
    return out


for _ in range(600):
    try:
        if call('GET', '/api/v1/health')[0] == 200:
            break
    except OSError:
        pass
    time.sleep(0.05)

failures = []


def expect(ok, what):
    if not ok:
        failures.append(what)


def stamp_of(page):
    m = re.search(r'name="stamp" value="([^"]+)"', page)
    return html.unescape(m.group(1)) if m else ''


def fresh_form(source, **fields):
    st, _, page = call('GET', '/public/support', source=source)
    expect(st == 200, f'GET /public/support: {st}')
    form = {'name': 'Camille Martin', 'siren': '552 081 317', 'email': 'camille@exemple.fr',
            'need': 'Nous cherchons un laboratoire pour tester un capteur de qualité de l\'eau.',
            'region': REGION, 'theme': THEME, 'cluster': '', 'website': '', 'stamp': stamp_of(page)}
    form.update(fields)
    return form


def stored():
    return sql.execute('SELECT count(*) FROM support_request').fetchone()[0]


version = json.loads(call('GET', '/api/v1/health')[2])['data_version']

# Too quick: the stamp is younger than 3 seconds.
st, _, page = call('POST', '/public/support', form=fresh_form('127.0.0.2'), source='127.0.0.2')
expect(st == 400 and 'envoyé trop vite' in page, f'a form sent at once: {st}')
expect(stored() == 0, 'a form sent at once was stored')
# A forged stamp, even old enough.
st, _, page = call('POST', '/public/support',
                   form=fresh_form('127.0.0.2', stamp=f'{int(time.time()) - 60}.' + '0' * 16 + '.' + '0' * 32),
                   source='127.0.0.2')
expect(st == 400 and 'envoyé trop vite' in page, f'a forged stamp: {st}')

bad = fresh_form('127.0.0.2', name='"><script>alert(1)</script>', siren='552081318',
                 email='camille@', need='<b>court</b>')
time.sleep(3.2)
st, _, page = call('POST', '/public/support', form=bad, source='127.0.0.2')
expect(st == 400, f'bad fields: {st}')
for message in ('SIREN est le numéro à 9 chiffres', 'adresse électronique valide',
                'de 20 à 4 000 caractères'):
    expect(message in page, f'bad fields: no message {message!r}')
expect('<script>alert(1)' not in page and '&lt;script&gt;alert(1)' in page,
       'bad fields: the name typed is not kept escaped')
expect(stored() == 0, 'bad fields were stored')

robot = fresh_form('127.0.0.2', website='http://spam.example')
elsewhere = fresh_form('127.0.0.7')
mailto = fresh_form('127.0.0.2', email='ceo@bigfirm.fr?bcc=spy%40evil.example')
cross = fresh_form('127.0.0.2')
time.sleep(3.2)
st, _, page = call('POST', '/public/support', form=robot, source='127.0.0.2')
fake = re.findall(r'href="(/public/support/[0-9a-f]{64})"', page)
expect(st == 200 and len(fake) == 1, f'the honeypot: {st}, not answered as a person is')
expect(stored() == 0, 'a robot (honeypot) was stored')
expect(not fake or call('GET', fake[0])[0] == 404, "the robot's link leads somewhere")
st, _, page = call('POST', '/public/support', form=elsewhere, source='127.0.0.8')
expect(st == 400 and 'envoyé trop vite' in page, f'a stamp read from another address: {st}')
st, _, page = call('POST', '/public/support', form=mailto, source='127.0.0.2')
expect(st == 400 and 'adresse électronique valide' in page, f'an e-mail with a Bcc: {st}')
st, _, page = call('POST', '/public/support', form=cross, source='127.0.0.2',
                   headers={'Sec-Fetch-Site': 'cross-site', 'Origin': 'https://evil.example'})
expect(st == 403, f'a post from another site: {st}')
expect(stored() == 0, 'a refused form was stored')

# Two real requests: routed by region and theme, and to the cluster chosen.
good = fresh_form('127.0.0.3')
chosen = fresh_form('127.0.0.3', cluster=C2)
time.sleep(3.2)
st, _, page = call('POST', '/public/support', form=good, source='127.0.0.3')
links = re.findall(r'href="(/public/support/[0-9a-f]{64})"', page)
expect(st == 200 and len(links) == 1, f'a request: {st}, {len(links)} tracking link(s)')
TRACK = links[0] if links else '/public/support/none'
row = sql.execute('SELECT id, cluster_id, status, siren, delete_after, tracking_hash FROM '
                  'support_request').fetchone()
expect(row is not None and row[1] == ROUTED and row[2] == 'received' and row[3] == '552081317',
       f'the request stored: {row}, routed to {ROUTED}')
expect(row is not None and TRACK.rsplit('/', 1)[1] not in row[5], 'the tracking secret is stored')
REQ = row[0] if row else 'none'
st, _, page = call('POST', '/public/support', form=good, source='127.0.0.3')
expect(st == 400 and 'déjà servi' in page, f'a stamp used twice: {st}')
st, _, page = call('POST', '/public/support', form=chosen, source='127.0.0.3')
REQ2 = sql.execute('SELECT id FROM support_request WHERE cluster_id = ? AND id != ?',
                   (C2, REQ)).fetchone()
expect(st == 200 and REQ2 is not None, f'a request to the cluster chosen: {st}')
REQ2 = REQ2[0] if REQ2 else 'none'
expect(json.loads(call('GET', '/api/v1/health')[2])['data_version'] == version,
       'sending a request moved the data version (every cache emptied by an anonymous form)')

st, headers, page = call('GET', TRACK)
expect(st == 200 and 'reçue, en attente' in page, f'the tracking page: {st}')
expect(headers.get('Cache-Control') == 'no-store', 'the tracking page may be cached')
expect(headers.get('Referrer-Policy') == 'no-referrer', 'the tracking link is sent on as a referrer')
expect('noindex' in headers.get('X-Robots-Tag', '') and
       '<meta name="robots" content="noindex, nofollow">' in page, 'the tracking page may be indexed')
for private in ('camille@exemple.fr', '552081317', 'Camille Martin'):
    expect(private not in page, f'the tracking page shows {private!r}')
expect(call('GET', '/public/support/' + '0' * 64)[0] == 404, 'a wrong tracking link is not 404')

# The inbox.
tokens = {}
for name in ACCOUNTS:
    st, headers, body = call('POST', '/api/v1/login',
                             body={'name': f'sup-{name}', 'password': PASSWORD})
    cookie = headers.get('Set-Cookie', '').split(';')[0]
    csrf = json.loads(body)['csrf']
    st, _, body = call('POST', '/api/v1/tokens', body={'label': 'support test'},
                       headers={'Cookie': cookie, 'X-CSRF-Token': csrf})
    tokens[name] = json.loads(body)['token']
    if name == 'manager':
        MANAGER_COOKIE = cookie


def listed(name):
    st, _, body = call('GET', '/api/v1/support-requests', token=tokens[name])
    return st, {x['id'] for x in json.loads(body)['items']} if st == 200 else set()


for name, sees, not_sees in (('manager', {REQ}, {REQ2}), ('manager2', {REQ2}, {REQ}),
                             ('state', {REQ, REQ2}, set())):
    st, ids = listed(name)
    expect(st == 200 and sees <= ids and not (not_sees & ids), f'{name} lists {ids} ({st})')
st, ids = listed('region')
expect(st == 200 and (REQ in ids) == (sql.execute('SELECT region FROM cluster WHERE id = ?',
                                                  (ROUTED,)).fetchone()[0] == REGION),
       f'the region lists {ids}')
st, ids = listed('region2')
expect(st == 200 and REQ not in ids or ROUTED == C2, f'another region lists {ids}')
for name in ('member', 'evaluator'):
    expect(listed(name)[0] == 403, f'{name} reads the inbox')
expect(call('GET', f'/api/v1/support-requests/{REQ}', token=tokens['manager2'])[0] == 404,
       "another cluster's manager reads the request")
st, _, body = call('GET', f'/api/v1/support-requests/{REQ}', token=tokens['manager'])
expect(st == 200 and json.loads(body)['email'] == 'camille@exemple.fr', f'the manager reads it: {st}')


def update(name, rid, **body):
    return call('POST', f'/api/v1/support-requests/{rid}', body=body, token=tokens[name])[0]


if ROUTED == C:
    region_may_read = sql.execute('SELECT region FROM cluster WHERE id = ?', (C,)).fetchone()[0] == REGION
    expect(update('region', REQ, status='taken') == (403 if region_may_read else 404),
           'the region answers a request')
    expect(update('manager2', REQ, status='taken') == 404, "another cluster's manager takes it")
    expect(update('manager', REQ, status='taken') == 200, 'the manager takes it')
    expect(update('manager', REQ, status='answered') == 400, 'answered without an answer')
    expect(update('manager', REQ, status='answered', answer='<b>Bonjour</b>') == 400,
           'an answer in HTML')
    expect(update('manager', REQ, status='answered',
                  answer='Bonjour,\nnotre chargée de mission vous appelle jeudi.') == 200,
           'the manager answers')
    st, _, page = call('GET', TRACK)
    expect('le pôle a répondu' in page and 'notre chargée de mission vous appelle jeudi.' in page
           and C_NAME in page, 'the tracking page does not show the answer')
    expect(update('manager', REQ, status='closed') == 200, 'the manager closes it')
    expect(update('manager', REQ, status='taken') == 409, 'a closed request reopened')
    answered = sql.execute('SELECT status, answered_at IS NOT NULL, handled_by FROM support_request '
                           'WHERE id = ?', (REQ,)).fetchone()
    expect(answered == ('closed', 1, 'sup-manager'), f'stored after closing: {answered}')
else:
    failures.append(f'fixture: the request went to {ROUTED}, not {C}')

# A person logged into the dashboard posts the form as anyone (its session is not read).
form = fresh_form('127.0.0.4')
time.sleep(3.2)
st, _, page = call('POST', '/public/support', form=form, source='127.0.0.4',
                   headers={'Cookie': MANAGER_COOKIE})
expect(st == 200 and '/public/support/' in page, f'posted with a session cookie: {st}')

# A flood from one address: 5 an hour; the sixth is refused, another address still sends, the
# portal still answers the flooding address.
statuses = []
forms = [fresh_form('127.0.0.5') for _ in range(7)]
time.sleep(3.2)
for f in forms:
    st, headers, page = call('POST', '/public/support', form=f, source='127.0.0.5')
    statuses.append(st)
expect(statuses[:5] == [200] * 5 and statuses[5:] == [429, 429],
       f'a flood from one address: {statuses}')
expect(headers.get('Retry-After', '0') != '0' and 'Trop de demandes' in page,
       'a refused flood has no Retry-After or no French page')
other = fresh_form('127.0.0.6')
time.sleep(3.2)
expect(call('POST', '/public/support', form=other, source='127.0.0.6')[0] == 200,
       'another address was refused during the flood')
expect(call('GET', '/public', source='127.0.0.5')[0] == 200, 'the flooding address lost the portal')

# GDPR: past its deletion date, a request is no longer read, then deleted, with its tracking link.
sql.execute("UPDATE support_request SET delete_after = '2000-01-01' WHERE id = ?", (REQ,))
expect(call('GET', f'/api/v1/support-requests/{REQ}', token=tokens['state'])[0] == 404,
       'a request past its deletion date is still read')
before = stored()
listed('state')
expect(stored() == before - 1, 'a request past its deletion date was kept')
expect(call('GET', TRACK)[0] == 404, 'the tracking link of a deleted request still answers')

# The firm erases its request from its tracking link.
st, _, page = call('GET', '/public/support', source='127.0.0.9')
erase_form = fresh_form('127.0.0.9')
time.sleep(3.2)
st, _, page = call('POST', '/public/support', form=erase_form, source='127.0.0.9')
link = re.findall(r'href="(/public/support/[0-9a-f]{64})"', page)
if link:
    before = stored()
    st, _, page = call('POST', link[0] + '/delete', form={}, source='127.0.0.9')
    expect(st == 200 and stored() == before - 1, f'the firm erases its request: {st}')
    expect(call('GET', link[0])[0] == 404, 'an erased request still answers its link')
    expect(call('POST', link[0] + '/delete', form={}, source='127.0.0.9')[0] == 404,
           'erasing twice')
else:
    failures.append('no tracking link to erase')

server.terminate()
server.wait()
for f in failures:
    print('FAIL', f)
if failures:
    print(f'{len(failures)} failure(s)')
    sys.exit(1)
print(f'support requests: routed to {ROUTED}, inbox, tracking, flood and deletion as expected')
