"""Evaluates Python expressions (one a line) with colloquy's engine and with docassemble.base's
own function library, and prints those whose repr() differs.
Usage (inside the dacompare venv): functions.py COLLOQUY_BIN EXPRESSIONS_FILE WORKDIR
An expression naming something colloquy lacks stops colloquy's run; it is reported and skipped.
"""
import json, os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)


def program(exprs):
    code = ['out = []']
    for e in exprs:
        code += ['try:', '  out.append(repr(%s))' % e, 'except Exception as err:',
                 '  out.append("ERR " + str(err)[:60])']
    # code points, so that Markdown cannot touch the text
    code.append('result = " ".join(".".join(str(ord(c)) for c in x) + "|" for x in out)')
    return '\n'.join(code)


def decode(text):
    return [''.join(chr(int(n)) for n in x.strip().split('.') if n) for x in text.split('|')[:-1]]


def main():
    bin_, path, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    exprs = [l.rstrip('\n') for l in open(path) if l.strip() and not l.startswith('#')]
    while True:
        code = program(exprs)
        yml = os.path.join(work, 'functions.yml')
        with open(yml, 'w') as f:
            f.write('mandatory: True\ncode: |\n' + '\n'.join('  ' + l for l in code.split('\n'))
                    + '\n---\nmandatory: True\nquestion: Done\nsubquestion: |\n  ${ result }\n')
        t = json.loads(subprocess.run([bin_, 'run', yml, '--auto'], capture_output=True, text=True).stdout)
        m = re.search(r"variable '([^']+)'", t.get('error') or '')
        if t['status'] == 'completed':
            break
        if not m:
            sys.exit('colloquy failed: %s' % t.get('error'))
        print('colloquy lacks %s' % m.group(1))
        exprs = [e for e in exprs if not re.match(re.escape(m.group(1)) + r'\b', e)]
    ours = decode(t['end']['subquestion'])
    import darun  # noqa: F401  (loads docassemble with the harness's host)
    from docassemble.base.thread_context import global_context, empty_globals
    with global_context(empty_globals()):
        import docassemble.base.util as util
        g = {k: getattr(util, k) for k in dir(util) if not k.startswith('_')}
        exec(program(exprs), g)
        theirs = decode(g['result'])
    n = 0
    for e, a, b in zip(exprs, ours, theirs):
        if a != b:
            n += 1
            print('%s\n   colloquy     %s\n   docassemble %s' % (e, a, b))
    print('%d of %d differ' % (n, len(exprs)))


if __name__ == '__main__':
    main()
