"""Compares `colloquy run --auto` with docassemble's own engine (darun.py) on interviews.

For each interview reference: colloquy runs it with --auto; the answers colloquy gave become an
answers file; docassemble.base runs the interview with those answers in one Python process; the
two transcripts are compared screen by screen (question name, texts, variables, end).
Usage: compare.py COLLOQUY_BIN PACKAGES_ROOT OUTDIR REFS_FILE   (writes OUTDIR/diffs.jsonl)
"""
import json, os, subprocess, sys

from varnames import generalise

here = os.path.dirname(os.path.abspath(__file__))


def answers_from(transcript, checkbox_vars):
    seen = {}
    for s in transcript.get('screens', []):
        for k, v in (s.get('answers') or {}).items():
            seen.setdefault(k, []).append(v)
    out = {}
    for k, vs in seen.items():
        if any(isinstance(v, list) for v in vs):
            out[k] = [v if isinstance(v, list) else [v] for v in vs]
        elif len(vs) == 1:
            out[k] = vs[0]
        else:
            out[k] = vs
    return out


def norm(s):
    return ' '.join((s or '').split())


def compare(ours, theirs):
    a, b = ours.get('screens', []), theirs.get('screens', [])
    for n, (x, y) in enumerate(zip(a, b)):
        for key in ('question_name', 'question', 'subquestion', 'variables'):
            if key == 'question_name' and (x[key] or '').startswith('Question_') != (y[key] or '').startswith('Question_'):
                continue
            xv, yv = x.get(key), y.get(key)
            if key in ('question', 'subquestion'):
                xv, yv = norm(xv), norm(yv)
            if key == 'variables':
                xv, yv = sorted(generalise(v) for v in (xv or [])), sorted(generalise(v) for v in (yv or []))
            if xv != yv:
                return {'screen': n, 'key': key, 'colloquy': xv, 'docassemble': yv}
    if len(a) != len(b):
        return {'screen': min(len(a), len(b)), 'key': 'count', 'colloquy': len(a), 'docassemble': len(b),
                'extra': (a[len(b)] if len(a) > len(b) else b[len(a)])}
    if ours.get('status') != theirs.get('status'):
        return {'key': 'status', 'colloquy': [ours.get('status'), ours.get('error') or ours.get('missing')],
                'docassemble': [theirs.get('status'), theirs.get('error') or theirs.get('missing')]}
    e1, e2 = ours.get('end') or {}, theirs.get('end') or {}
    for key in ('question', 'subquestion'):
        if norm(e1.get(key)) != norm(e2.get(key)):
            return {'key': 'end.' + key, 'colloquy': norm(e1.get(key)), 'docassemble': norm(e2.get(key))}
    return None



def main():
    bin_, root, outdir = sys.argv[1:4]
    refs = [l.strip() for l in open(sys.argv[4]) if l.strip()]
    os.makedirs(outdir, exist_ok=True)
    jobs = []
    for ref in refs:
        safe = ref.replace('/', '_').replace(':', '_')
        cpath = os.path.join(outdir, safe + '.colloquy.json')
        r = subprocess.run([bin_, 'run', ref, '--packages', root, '--auto', '--max-screens', '60'],
                           capture_output=True, text=True, timeout=120)
        try:
            ours = json.loads(r.stdout)
        except Exception:
            ours = {'status': 'crash', 'screens': [], 'error': r.stderr[-300:]}
        json.dump(ours, open(cpath, 'w'), indent=1)
        jobs.append({'ref': ref, 'answers': answers_from(ours, set()), 'out': os.path.join(outdir, safe + '.docassemble.json'), 'max_screens': 60})
    with open(os.path.join(outdir, 'jobs.jsonl'), 'w') as f:
        for j in jobs:
            f.write(json.dumps(j) + '\n')
    env = dict(os.environ)
    subprocess.run([sys.executable, os.path.join(here, 'darun.py'), '--batch', os.path.join(outdir, 'jobs.jsonl')], env=env, stderr=open(os.path.join(outdir, 'da.stderr'), 'w'))
    same = 0
    with open(os.path.join(outdir, 'diffs.jsonl'), 'w') as f:
        for ref in refs:
            safe = ref.replace('/', '_').replace(':', '_')
            ours = json.load(open(os.path.join(outdir, safe + '.colloquy.json')))
            try:
                theirs = json.load(open(os.path.join(outdir, safe + '.docassemble.json')))
            except Exception:
                theirs = {'status': 'missing', 'screens': []}
            d = compare(ours, theirs)
            same += d is None
            f.write(json.dumps({'ref': ref, 'diff': d}, default=str) + '\n')
    print(f'{same} of {len(refs)} agree')


if __name__ == '__main__':
    main()
