import json, collections, sys, re
d0 = sys.argv[1]
c = collections.Counter()
rows = []
for l in open(d0 + '/diffs.jsonl'):
    d = json.loads(l)
    if d['diff'] is None: continue
    x = d['diff']; k = x.get('key')
    safe = d['ref'].replace('/', '_').replace(':', '_')
    t = json.load(open(f'{d0}/{safe}.docassemble.json'))
    o = json.load(open(f'{d0}/{safe}.colloquy.json'))
    if t['status'] == 'error':
        k = 'da-error'
    c[k] += 1
    rows.append((k, d['ref'].split('/')[-1], x, o, t))
for k, n in c.most_common(): print(n, k)
want = sys.argv[2] if len(sys.argv) > 2 else None
for k, ref, x, o, t in rows:
    if want and k != want: continue
    print('\n##', ref, k, 'ours', o['status'], (o.get('error') or o.get('missing') or '')[:200], '| da', t['status'], (t.get('error') or t.get('missing') or '')[:200])
    print('   ', json.dumps(x, default=str)[:700])
