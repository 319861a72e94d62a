#!/usr/bin/env python3
"""Generates pyeval's differential test cases against CPython (run with python3.11).

Writes cases.json: a list of {"mode": "expr"|"block", "src": ..., and either "repr": repr(result)
or "exc": exception class name}. For blocks the result is the variable `result`.

Cases are filtered so that the comparison is meaningful for pyeval's documented differences:
ints must stay within 64 bits, sets with more than one element are not compared by repr (their
CPython order is hash-based), and undefined names are never used (pyeval raises Needs there).
Usage: python3 gen.py > /dev/null  (writes cases.json next to this file)
"""
import datetime
import decimal
import itertools
import json
import math
import os
import random
import sys

random.seed(1234)
HERE = os.path.dirname(os.path.abspath(__file__))
I64 = (-(2**63), 2**63 - 1)

BASE_NS = {
    "Decimal": decimal.Decimal,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "timedelta": datetime.timedelta,
}


def safe(v, depth=0):
    """Whether repr(v) is comparable with pyeval's."""
    if depth > 20:
        return False
    if isinstance(v, bool) or v is None:
        return True
    if isinstance(v, int):
        return I64[0] <= v <= I64[1]
    if isinstance(v, (float, str, decimal.Decimal, datetime.date, datetime.timedelta)):
        return True
    if isinstance(v, (list, tuple)):
        return all(safe(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return all(safe(k, depth + 1) and safe(x, depth + 1) for k, x in v.items())
    if isinstance(v, (set, frozenset)):
        return len(v) <= 1 and all(safe(x, depth + 1) for x in v)
    if isinstance(v, range):
        return True
    return False


cases = []
seen = set()


def run(mode, src):
    ns = dict(BASE_NS)
    if mode == "expr":
        return eval(src, ns)
    exec(src, ns)
    return ns["result"]


def add(src, mode="expr"):
    if (mode, src) in seen:
        return
    seen.add((mode, src))
    try:
        v = run(mode, src)
    except NameError:
        return
    except OverflowError:
        cases.append({"mode": mode, "src": src, "exc": "OverflowError"})
        return
    except Exception as e:  # noqa: BLE001
        cases.append({"mode": mode, "src": src, "exc": type(e).__name__})
        return
    if not safe(v):
        return
    cases.append({"mode": mode, "src": src, "repr": repr(v)})


def lit(x):
    r = repr(x)
    return f"({r})" if r.startswith("-") else r


# 1. arithmetic on ints and floats: signs, floor division, modulo, true division, powers
ints = [-7, -3, -1, 0, 1, 2, 3, 7, 10, 100]
floats = [-2.5, -0.5, 0.0, 0.5, 1.5, 3.0, 0.1, 1e16, 1e-5, 7.25]
for a, b in itertools.product(ints, ints):
    for op in ["+", "-", "*", "/", "//", "%"]:
        add(f"{lit(a)} {op} {lit(b)}")
for a, b in itertools.product(ints[:8], [0, 1, 2, 3, -1, -2]):
    add(f"{lit(a)} ** {lit(b)}")
for a, b in itertools.product(floats, floats[:7] + [-3.0]):
    for op in ["+", "-", "*", "/", "//", "%"]:
        add(f"{lit(a)} {op} {lit(b)}")
for a, b in itertools.product([-7, 3, 0, 10], floats[:6]):
    for op in ["+", "/", "//", "%", "*"]:
        add(f"{lit(a)} {op} {lit(b)}")
        add(f"{lit(b)} {op} {lit(a)}")
for e in ["2 ** 62", "2 ** 63", "9223372036854775807 + 1", "(-9223372036854775807 - 1) // -1",
          "2.0 ** 0.5", "(-8) ** (1/3) if False else 0", "10 ** -2", "0 ** 0", "0.0 ** -1", "0 ** -1",
          "7 // 0.0", "7 % 0", "-7 % 0.5", "divmod(-7, 2)", "divmod(7, -2)", "divmod(-7.5, 2)", "divmod(7, 0)",
          "abs(-3)", "abs(-2.5)", "abs(True)", "-True", "+False", "~5", "~-1", "5 & 3", "5 | 3", "5 ^ 3",
          "1 << 10", "1024 >> 3", "-1 >> 1", "1 << -1", "True + True", "True * 3.5", "3 * False",
          "pow(2, 10)", "pow(2, -1)", "pow(3, 4, 5)", "pow(-3, 3, 7)", "pow(3, 3, -7)", "1e308 * 10",
          "float('inf') - float('inf')", "float('nan') == float('nan')", "float('inf') > 10**18",
          "1 == 1.0", "True == 1", "1.5 == 3/2", "0.1 + 0.2 == 0.3", "0.1 + 0.2", "1/3", "2/3", "10/4",
          "-0.0", "0.0 == -0.0", "round(-0.0)", "100 // 7 * 7 + 100 % 7", "-100 // 7 * 7 + -100 % 7",
          "(2**53 + 1) == float(2**53 + 1)", "2**53 + 1 < float(2**53 + 2)", "9007199254740993 == 9007199254740992.0",
          "int(1e18)", "int(-1e18)", "int(1e19)", "int(float('inf'))", "int(float('nan'))"]:
    add(e)

# 2. comparisons, chains, boolean operators, identity, membership
for e in ["1 < 2 < 3", "1 < 3 < 2", "3 > 2 > 1 > 0", "1 <= 1 < 2 != 3", "1 == 1 == 1.0", "'a' < 'b' < 'c'",
          "'abc' < 'abd'", "'Z' < 'a'", "'' < 'a'", "[1, 2] < [1, 3]", "[1, 2] < [1, 2, 0]", "(1, 2) == (1, 2)",
          "(1, 2) < (1, 2.5)", "[1, [2, 3]] == [1, [2, 3]]", "{'a': 1} == {'a': 1.0}", "{1: 2} == {1: 3}",
          "None is None", "None == 0", "None is not None", "1 < 'a'", "[] < ()", "'a' in 'cat'", "'x' not in 'cat'",
          "2 in [1, 2, 3]", "2.0 in [1, 2, 3]", "'k' in {'k': 1}", "1 in {1.0: 'x'}", "3 in range(0, 10, 3)",
          "4 in range(0, 10, 3)", "-1 in range(-5, 0)", "(1, 2) in [(1, 2)]", "[1] in [[1]]", "1 in 'abc'",
          "0 or 5", "3 or 5", "0 and 5", "3 and 5", "'' or 'default'", "[] or [1]", "None or 0 or '' or 'x'",
          "1 and 2 and 3", "1 and 0 and 3", "not 0", "not []", "not 'a'", "not None", "True and not False",
          "(1 or 1/0)", "(0 and 1/0)", "1 if 0 else 2", "'yes' if [0] else 'no'", "1 < 2 and 2 < 3 or 1/0",
          "bool(0.0)", "bool('0')", "bool([])", "bool({})", "bool(())", "bool(range(0))", "bool(range(1))",
          "1 is 1.0", "[] == []", "() == ()", "{} == {}", "set() == set()", "{1, 2} == {2, 1}",
          "{1, 2} < {1, 2, 3}", "{1, 2} <= {1, 2}", "{1, 2, 3} > {1}", "{1} >= {1, 2}", "1.0 < 1", "2 > 1.5",
          "-1 < -0.5", "float('inf') > 1e308", "float('nan') < 1", "float('nan') != float('nan')"]:
    add(e)

# 3. float repr
for x in ["0.1", "0.5", "1.0", "100.0", "1e15", "1e16", "1e17", "123456789012345678.0", "1e-4", "1e-5",
          "0.00012345", "1.5e-7", "2.5e300", "1e22", "1e23", "-1e-10", "3.141592653589793", "2 ** 0.5",
          "1/7", "22/7", "1e16 + 1", "9999999999999998.0", "0.1 * 3", "1.1 * 1.1", "100 / 3", "5e-324",
          "1.7976931348623157e308", "float('inf')", "float('-inf')", "float('nan')", "-0.0", "float('1e5')",
          "float(' 12.5 ')", "float('1_000.25')", "float('abc')", "float('')", "float(3)", "float(True)",
          "1e16 / 3", "123.456e5", "0.000001", "0.0000001", "1234567890.123456789", "2.0 ** 70", "2.0 ** -20"]:
    add(f"repr({x})")
    add(f"str({x})")

# 4. string methods
strings = ["hello world", "  Padded  ", "a,b,,c", "MiXeD cAsE", "it's here", "", "123", "abc123", "Title Case Here",
           "x\ny\r\nz\n", "one  two\tthree", "ééa Straße", "--dash--", "a.b.c"]
calls = ["upper()", "lower()", "title()", "capitalize()", "strip()", "lstrip()", "rstrip()", "split()",
         "split(',')", "split(' ', 1)", "rsplit(None, 1)", "rsplit('.', 1)", "splitlines()", "splitlines(True)",
         "replace('a', 'X')", "replace('', '-')", "replace('l', 'L', 1)", "startswith('he')", "endswith('e')",
         "startswith(('x', 'a'))", "find('o')", "rfind('o')", "find('zz')", "index('a')", "count('a')",
         "count('')", "isdigit()", "isalpha()", "isalnum()", "isspace()", "isupper()", "islower()", "zfill(8)",
         "center(15)", "center(16, '*')", "ljust(12, '.')", "rjust(12)", "partition(' ')", "rpartition(' ')",
         "casefold()", "swapcase()", "strip('-')", "strip('ah')", "split('zz')", "istitle()", "removeprefix('he')",
         "removesuffix('--')", "find('o', 5)", "find('l', 2, 4)", "endswith('ll', 0, 4)", "expandtabs(4)"]
for s in strings:
    for c in calls:
        add(f"{s!r}.{c}")
for e in ["'-'.join(['a', 'b', 'c'])", "''.join([])", "', '.join(str(i) for i in range(4))", "'-'.join([1, 2])",
          "'ab' * 3", "3 * 'ab'", "'ab' * 0", "'ab' * -1", "'a' + 'b'", "'a' + 1", "[1] * 3", "[1, 2] + [3]",
          "(1,) * 2", "(1, 2) + (3,)", "'abc'[1]", "'abc'[-1]", "'abc'[5]", "len('héllo')", "'héllo'[1]",
          "'héllo'[::-1]", "'%s and %s' % ('a', 'b')", "'-'.join('abc')", "'a b c'.split(' ')",
          "'  a  b  '.split()", "' a b '.split(None, 1)", "'a,b'.split(',', 0)", "'abc'.index('z')",
          "'x'.center(4)", "'ab'.center(5)", "'abc'.center(6)", "'-3'.zfill(5)", "'+3'.zfill(5)", "'a\\tb'.expandtabs()",
          "str(123)", "str(-1.5)", "str(None)", "str(True)", "str([1, 'a'])", "str({'a': [1, 2]})",
          "repr('a\\nb')", "repr(\"it's\")", "repr('say \"hi\"')", "repr('both \\' and \"')", "repr('\\t\\x00')",
          "'abc' < 'abd'", "'a' * 3 + 'b'", "'%d%%' % 50", "'x'.upper().lower()", "'hello'.title().swapcase()",
          "'They\\'re bill\\'s'.title()", "'hello world'.capitalize()", "'ÉCOLE'.lower()", "'straße'.upper()"]:
    add(e)

# 5. slicing with negative steps
seq = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
for start, stop, step in itertools.product([None, -3, -1, 0, 1, 5, 20], [None, -2, 0, 2, 10, -20], [None, -2, -1, 1, 3]):
    sl = f"{'' if start is None else start}:{'' if stop is None else stop}{'' if step is None else ':' + str(step)}"
    add(f"{seq}[{sl}]")
for sl in ["::-1", "1:4", "-3:", ":-3", "::2", "1::3", "5:1:-1", "::-2", "10:0:-3", ":0:-1"]:
    add(f"'abcdefgh'[{sl}]")
    add(f"(1, 2, 3, 4, 5)[{sl}]")
    add(f"list(range(10)[{sl}])")
add("[1, 2, 3][::0]")
add("range(10)[2:8:2]")
add("range(0, 20, 3)[-1]")
add("range(5)[10]")

# 6. comprehensions, generators, lambda
for e in ["[x * x for x in range(6)]", "[x for x in range(10) if x % 3 == 0]", "[(x, y) for x in range(3) for y in range(x)]",
          "[y for x in [[1, 2], [3]] for y in x]", "{x: x * x for x in range(4)}", "{x % 3 for x in range(10) if x < 1}",
          "sum(x for x in range(101))", "list(x + 1 for x in [1, 2])", "[[j for j in range(i)] for i in range(4)]",
          "[c.upper() for c in 'abc']", "{k: v for k, v in [('a', 1), ('b', 2)]}", "[i for i in range(3) if i if i > 1]",
          "max(x for x in [3, 1, 2])", "any(x > 2 for x in [1, 2, 3])", "all(x > 0 for x in [1, 2, 0])",
          "(lambda x, y=2: x * y)(3)", "(lambda *a: a)(1, 2)", "(lambda **k: sorted(k.items()))(b=1, a=2)",
          "list(map(lambda x: x * 2, [1, 2, 3]))", "list(filter(None, [0, 1, '', 'a']))",
          "list(filter(lambda x: x % 2, range(7)))", "sorted(['b', 'A', 'c'], key=lambda s: s.lower())",
          "[(lambda: i)() for i in range(3)]", "next(x for x in [1, 2, 3] if x > 1)", "next(iter([]), 'none')",
          "next(x for x in [] if x)", "list(zip([1, 2, 3], 'ab'))", "list(enumerate('abc', 1))", "list(reversed([1, 2, 3]))",
          "list(reversed('abc'))", "dict(zip('abc', range(3)))", "[*range(3), *'ab']", "(*[1, 2], 3)", "{**{'a': 1}, 'b': 2}",
          "{'a': 1, **{'a': 2}}", "sum([[1], [2]], [])", "sum([0.1] * 10)", "sum([1, 2], 10)", "sum(['a'], '')"]:
    add(e)

# 7. sorted, min, max
lists = ["[3, 1, 2]", "['banana', 'Apple', 'cherry']", "[(2, 'b'), (1, 'z'), (2, 'a')]", "[3.5, -1, 2, 0.0]",
         "['aa', 'b', 'ccc', 'dd']", "[[2, 1], [1, 2], [1]]", "[]"]
for l in lists:
    for extra in ["", ", reverse=True", ", key=len", ", key=str", ", key=lambda x: -len(str(x))",
                  ", key=lambda x: str(x).lower(), reverse=True"]:
        add(f"sorted({l}{extra})")
    for fn in ["min", "max"]:
        add(f"{fn}({l})")
        add(f"{fn}({l}, key=str)")
        add(f"{fn}({l}, default='empty')")
for e in ["min(3, 1, 2)", "max(3, 1, 2)", "max('a', 'B', key=str.lower) if False else 0", "min([1, 'a'])",
          "max([], default=None)", "min(())", "max(1, 2, key=lambda x: -x)", "sorted([3, 1, 2], reverse=1)",
          "sorted('hello')", "sorted({'b': 1, 'a': 2})", "sorted([1, 'a'])", "sorted([True, 0, 0.5])",
          "sorted([(1, 'b'), (1, 'a')], key=lambda t: t[0])", "max([(1, 'b'), (1, 'a')])"]:
    add(e)

# 8. f-strings and format()
values = ["3.14159", "-2.5", "1234567.891", "0", "42", "-17", '"abc"', "1e-5", "1e20", "True", "0.5", "2.675",
          "1234", "None", 'Decimal("3.456")', 'Decimal("-1234.5")']
specs = ["", ".2f", ">10", "<8", "^9", ",", "+.1f", "08.3f", "e", ".3e", "g", ".2g", "%", ".1%", "x", "b", "o",
         "#x", "05d", ",.2f", "_", "*^12", "=+8", " d", ".0f", ".3", "10.4", "s", "d", "G", ".10g", ".1f"]
for v in values:
    for sp in specs:
        add(f"f'{{{v}:{sp}}}'" if sp else f"f'{{{v}}}'")
for e in ["f'{\"x\"!r}'", "f'{3.5!r:>6}'", "f'{\"ab\"!s:*<5}'", "f'{1+1=}'", "f'{\"a\" + \"b\"}'", "f'{{literal}}'",
          "f'{3:{2}d}'", "f'{3.14159:.{2}f}'", "f'{[1, 2]}'", "f'{ {\"a\": 1} }'", "f'{None!r}'", "f'{10:#b}'",
          "f'{-0.0}'", "f'{1e16}'", "f'{255:X}'", "f'{65:c}'", "f'{1234567:,d}'", "f'{0.000123:.2e}'",
          "format(3.14159, '.3f')", "format(42)", "format('x', '^5')", "format(1234.5, ',.1f')", "format(0.125, '.2f')",
          "format(0.375, '.2f')", "format(2.5, '.0f')", "format(3.5, '.0f')", "format(1e300, ',')", "format(123, '')",
          "format(12.0, '.3')", "format(100.0, '.3')", "format(1234.5678, '.3')", "format(-5, '08d')",
          "format(255, '#010x')", "format(True, '>5')", "format(True, '')", "format([1], '')", "format([1], '>5')",
          "format('abc', '.2')", "format('abc', 'd')", "format(3, 's')", "format(3.0, 'd')", "format(1.5, 'x')"]:
    add(e)

# 9. %-formatting
for e in ["'%s' % 5", "'%s %s' % ('a', 1)", "'%r' % 'x'", "'%d' % 3.9", "'%d' % -3.9", "'%i' % True", "'%5d|' % 42",
          "'%-5d|' % 42", "'%05d' % -42", "'%+d' % 5", "'% d' % 5", "'%x %X %o' % (255, 255, 8)", "'%#x' % 255",
          "'%.2f' % 3.14159", "'%8.3f' % -3.14159", "'%-8.1f|' % 2.25", "'%e' % 12345.678", "'%.2e' % 0.000123",
          "'%g' % 0.00001234", "'%g' % 123456789", "'%G' % 1e-10", "'%%'", "'100%%' % ()", "'%s' % (1, 2)",
          "'%s %s' % (1,)", "'%d' % 'x'", "'%(a)s-%(b)d' % {'a': 'x', 'b': 2}", "'%c' % 65", "'%c' % 'z'",
          "'%.3s' % 'abcdef'", "'%10s|' % 'hi'", "'%-10s|' % 'hi'", "'%s' % [1, 2]", "'%s' % None", "'%.0f' % 0.5",
          "'%.0f' % 1.5", "'%f' % 1e20", "'%.1f%%' % 12.34", "'%s' % ((1, 2),)", "'%*d' % (5, 42)", "'%.*f' % (2, 3.14159)",
          "'%s' % {'a': 1}", "'%d items' % len([1, 2])", "'%z' % 1"]:
    add(e)

# 10. str.format
for e in ["'{} {}'.format('a', 'b')", "'{1} {0}'.format('a', 'b')", "'{x}-{y}'.format(x=1, y=2)", "'{:>6}'.format('r')",
          "'{:.2f}'.format(3.14159)", "'{0[1]}'.format([5, 6])", "'{0[k]}'.format({'k': 'v'})", "'{{}} {}'.format(1)",
          "'{:,}'.format(1234567)", "'{:^7}'.format('mid')", "'{0}{0}'.format('ab')", "'{} {1}'.format(1, 2)",
          "'{}'.format()", "'{2}'.format(1)", "'{x}'.format(y=1)", "'{!r}'.format('s')", "'{:{w}}'.format('a', w=4)",
          "'}'.format()", "'{:05.1f}'.format(-2.25)", "'{:+}'.format(3)", "'{:%}'.format(0.25)", "'{:e}'.format(0)"]:
    add(e)

# 11. round (banker's rounding and float-exact rounding)
for x in ["0.5", "1.5", "2.5", "-0.5", "-1.5", "3.7", "-3.7", "2.675", "1.005", "0.125", "0.375", "12345.6789",
          "1e16", "-2.5", "7", "-15", "25", "1234", "True", "Decimal('2.5')", "Decimal('3.675')", "Decimal('-1.25')"]:
    add(f"round({x})")
    for n in [0, 1, 2, 3, -1, -2]:
        if n < 0 and x.startswith("Decimal"):
            continue  # pyeval Decimals cannot carry positive exponents (Decimal('0E+1'))
        add(f"round({x}, {n})")
add("round(float('inf'))")
add("round(float('nan'))")
add("round('1')")

# 12. conversions
for e in ["int('42')", "int(' -7 ')", "int('+8')", "int('1_000')", "int('0x1f', 16)", "int('1f', 16)", "int('z', 36)",
          "int('0b101', 0)", "int('0o17', 0)", "int('017', 0)", "int('10', 2)", "int('12', 2)", "int('abc')", "int('')",
          "int('1.5')", "int(3.9)", "int(-3.9)", "int(True)", "int()", "int(Decimal('7.9'))", "int('4', 1)", "int(4, 10)",
          "int('  12  ')", "int('1__0')", "float('1e5')", "float('-inf')", "float('nan') != 0", "float('1.5e-3')",
          "float('.5')", "float('5.')", "float('1,5')", "bool('False')", "str(1.0)", "str(10**15 * 1.0)",
          "list('abc')", "list(range(3))", "list({'a': 1, 'b': 2})", "list((1, 2))", "tuple([1, 2])", "tuple('ab')",
          "dict([('a', 1), ('b', 2)])", "dict(a=1, b=2)", "dict({'x': 1}, y=2)", "dict([(1, 2, 3)])", "set([1, 1])",
          "sorted(set([3, 1, 2, 3]))", "len(set('hello'))", "chr(65)", "chr(0x263a)", "ord('A')", "ord('é')", "ord('ab')",
          "chr(-1)", "hex(255)", "hex(-255)", "oct(8)", "bin(5)", "bin(-5)", "repr(range(3))", "repr(range(1, 10, 2))",
          "len(range(0, 10, 3))", "len(range(10, 0))", "list(range(10, 0, -3))", "range(1, 2, 0)", "list(range(-3))",
          "isinstance(1, int)", "isinstance(True, int)", "isinstance(1, float)", "isinstance(1.0, (int, float))",
          "isinstance('a', str)", "isinstance([], list)", "isinstance({}, dict)", "isinstance((), tuple)",
          "isinstance(None, int)", "type(1) == int", "type(True) == bool", "type('') == str", "type([]) == list",
          "type(1.5) is float", "hasattr('a', 'upper')", "hasattr('a', 'nope')", "hasattr([], 'append')",
          "callable(len)", "callable(1)", "ascii('é')", "repr(1e16)", "str(Decimal('1.10'))", "repr(Decimal('1.10'))",
          "Decimal('1.1') + Decimal('2.2')", "Decimal('10') / Decimal('4')", "Decimal('1.5') * 2", "Decimal('7') // 2",
          "Decimal('-7') // 2", "Decimal('-7') % 2", "Decimal('3.14159').quantize(Decimal('0.01'))", "Decimal('2.50') == 2.5",
          "Decimal('1') == 1", "Decimal(5) + 1", "Decimal('0.1') + 0.1", "Decimal('1.30') > 1", "str(Decimal('1.30') * 2)",
          "float(Decimal('2.5'))", "Decimal('abc')"]:
    add(e)

# 13. dates
for e in ["date(2020, 1, 31) + timedelta(days=1)", "date(2020, 3, 1) - date(2020, 2, 1)", "(date(2021, 1, 1) - date(2020, 1, 1)).days",
          "date(2020, 2, 30)", "date(2020, 5, 17).year", "date(2020, 5, 17).weekday()", "date(2020, 5, 17).isoformat()",
          "date(2020, 5, 17).strftime('%d/%m/%Y')", "date(2020, 5, 17).strftime('%B %d, %Y')", "date(2020, 5, 17).strftime('%a %b %j')",
          "str(date(2020, 5, 7))", "repr(date(2020, 5, 7))", "date(2020, 1, 1) < date(2020, 1, 2)", "date(2020, 1, 1) == date(2020, 1, 1)",
          "datetime(2020, 1, 1, 12, 30) + timedelta(hours=13)", "str(datetime(2020, 1, 1, 9, 5, 3))", "repr(datetime(2020, 1, 1, 9, 5))",
          "repr(datetime(2020, 1, 1, 9, 5, 3, 7))", "datetime(2020, 1, 2) - datetime(2020, 1, 1, 12)", "str(timedelta(days=3))",
          "str(timedelta(hours=25, seconds=5))", "str(timedelta(seconds=-1))", "repr(timedelta(days=1, seconds=5))", "repr(timedelta())",
          "timedelta(days=1) * 3", "timedelta(days=1) / 2", "timedelta(days=3) / timedelta(hours=12)", "timedelta(weeks=1).days",
          "timedelta(minutes=90).seconds", "timedelta(days=1, hours=2).total_seconds()", "date(2020, 1, 31).replace(day=15)",
          "date(2020, 1, 31).replace(month=2)", "datetime(2020, 3, 4, 5, 6).date()", "datetime(2020, 3, 4, 5, 6).hour",
          "date(2024, 2, 29) + timedelta(days=365)", "date(2020, 1, 1) + 1", "date(2020, 12, 25).isoweekday()",
          "datetime(2020, 1, 1) < datetime(2020, 1, 1, 0, 0, 1)", "f'{date(2020, 1, 5):%Y/%m/%d}'", "date(2020, 1, 1) - timedelta(days=1)",
          "datetime(2020, 1, 1, 10).isoformat()", "datetime(2020, 1, 1, 10).strftime('%H:%M %p')", "timedelta(days=-1) < timedelta(0)",
          "abs(timedelta(days=-2))", "-timedelta(days=1)", "timedelta(1) + timedelta(2)", "timedelta(days=10) // timedelta(days=3)"]:
    add(e)

# 14. exceptions raised by expressions
for e in ["1 / 0", "1 // 0", "1 % 0", "1.0 / 0", "{}['x']", "{'a': 1}['b']", "[][0]", "[1, 2][5]", "(1,)[3]", "'abc'[10]",
          "int('x')", "None.x", "(1).foo", "'a'.foo", "[1, 2].nope()", "len(5)", "1 + 'a'", "'a' + 1", "[] + ()", "{} + {}",
          "[1, 2, 3].index(4)", "[].pop()", "{}.pop('x')", "'x'.index('y')", "[1][1.0]", "{[1]: 2}", "hash_ = {(1, [2]): 3}",
          "(1, 2)[0:1:0]", "iter(5)", "next(iter([]))", "abs('x')", "sum(['a', 'b'])", "min([])", "max()", "ord('')",
          "'%d' % None", "int(None)", "float([1])", "len()", "sorted(None)", "set([[1]])", "{1: 2}[[1]]",
          "'abc'.split('')", "range(1.5)", "[1, 2, 3][1:2] = 5"]:
    add(e)

# 15. statement blocks that set `result`
blocks = [
    "result = 0\nfor i in range(10):\n    if i % 2:\n        continue\n    result += i",
    "result = []\nfor i in range(5):\n    if i == 3:\n        break\n    result.append(i)\nelse:\n    result.append('no break')",
    "result = []\nfor i in range(3):\n    result.append(i)\nelse:\n    result.append('done')",
    "n = 0\nresult = []\nwhile n < 5:\n    n += 1\n    if n == 2:\n        continue\n    result.append(n)\nelse:\n    result.append('end')",
    "a, b = 1, 2\na, b = b, a\nresult = (a, b)",
    "a, *b = [1, 2, 3, 4]\nresult = (a, b)",
    "*a, b = 'xyz'\nresult = (a, b)",
    "a, (b, c) = 1, (2, 3)\nresult = [a, b, c]",
    "a, b = [1, 2, 3]\nresult = 0",
    "a, b, c = [1, 2]\nresult = 0",
    "x = [1, 2]\ny = x\ny += [3]\nresult = x",
    "x = (1, 2)\ny = x\ny += (3,)\nresult = (x, y)",
    "s = 'a'\ns += 'b'\ns *= 3\nresult = s",
    "x = 10\nx -= 3\nx *= 2\nx //= 3\nx **= 2\nx %= 7\nresult = x",
    "d = {'a': 1}\nd['b'] = 2\nd['a'] += 10\nresult = d",
    "d = {}\nd.setdefault('k', []).append(1)\nd.setdefault('k', []).append(2)\nresult = d",
    "d = {'b': 1, 'a': 2}\nd['c'] = 3\ndel d['b']\nd['b'] = 4\nresult = list(d.items())",
    "d = {'x': 1, 'y': 2}\nresult = [k + str(v) for k, v in d.items()]",
    "d = dict(a=1)\nd.update({'b': 2}, c=3)\nresult = sorted(d.keys())",
    "d = {'a': 1}\nresult = (d.get('a'), d.get('z'), d.get('z', 0), d.pop('a'), d)",
    "d = {1: 'int', 1.0: 'float', True: 'bool'}\nresult = d",
    "d = {}\nd[1] = 'a'\nresult = d[1.0]",
    "l = [3, 1, 2]\nl.sort()\nl.reverse()\nl.insert(0, 9)\nl.insert(-1, 7)\nresult = l",
    "l = [1, 2, 3, 2]\nl.remove(2)\nresult = (l, l.count(2), l.index(3))",
    "l = [1, 2, 3]\nresult = (l.pop(), l.pop(0), l)",
    "l = list(range(10))\ndel l[::2]\nresult = l",
    "l = list(range(6))\nl[1:3] = ['a', 'b', 'c']\nresult = l",
    "l = list(range(6))\nl[::2] = [0, 0, 0]\nresult = l",
    "l = [1, 2, 3]\ndel l[1]\nresult = l",
    "l = [[0] * 2] * 2\nl[0][0] = 1\nresult = l",
    "l = [5, 3, 8]\nl.sort(key=lambda x: -x)\nresult = l",
    "l = ['b', 'a']\nm = l.copy()\nm.append('c')\nl.extend('de')\nresult = (l, m)",
    "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    result = 'caught ' + str(e)",
    "try:\n    {}['k']\nexcept KeyError as e:\n    result = str(e)",
    "try:\n    [][1]\nexcept (KeyError, IndexError):\n    result = 'lookup'",
    "try:\n    [][1]\nexcept LookupError:\n    result = 'base'",
    "try:\n    int('x')\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    x = 1\nexcept Exception:\n    result = 'no'\nelse:\n    result = 'else ran'",
    "result = []\ntry:\n    result.append(1)\n    1 / 0\nexcept ZeroDivisionError:\n    result.append(2)\nfinally:\n    result.append(3)",
    "result = []\ntry:\n    try:\n        1 / 0\n    finally:\n        result.append('inner finally')\nexcept Exception:\n    result.append('outer')",
    "try:\n    raise ValueError('bad value')\nexcept ValueError as e:\n    result = e.args",
    "try:\n    raise KeyError('k')\nexcept Exception as e:\n    result = str(e)",
    "try:\n    try:\n        1 / 0\n    except ZeroDivisionError:\n        raise\nexcept ZeroDivisionError:\n    result = 'reraised'",
    "try:\n    assert 1 == 2, 'math'\nexcept AssertionError as e:\n    result = str(e)",
    "try:\n    1 + 'a'\nexcept TypeError:\n    result = 'type'",
    "try:\n    None.x\nexcept AttributeError:\n    result = 'attr'",
    "try:\n    raise RuntimeError\nexcept RuntimeError as e:\n    result = repr(str(e))",
    "raise ValueError('uncaught')\nresult = 1",
    "assert False\nresult = 1",
    "def f(x, y=10, *args, z=5, **kw):\n    return (x, y, args, z, sorted(kw.items()))\nresult = [f(1), f(1, 2, 3, 4, z=0, w=9)]",
    "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nresult = fact(10)",
    "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\nresult = [fib(i) for i in range(12)]",
    "def f():\n    pass\nresult = f()",
    "def f(a, b):\n    return a - b\nresult = f(b=1, a=5)",
    "def f(a):\n    return a\nresult = f()",
    "def f(a):\n    return a\nresult = f(1, 2)",
    "def f(a):\n    return a\nresult = f(1, a=2)",
    "def f(a):\n    return a\nresult = f(b=2)",
    "def outer(n):\n    def inner(x):\n        return x + n\n    return inner(10)\nresult = outer(5)",
    "def g(l=[]):\n    l.append(1)\n    return len(l)\nresult = (g(), g())",
    "def early(x):\n    for i in range(10):\n        if i == x:\n            return i * 100\n    return -1\nresult = (early(3), early(20))",
    "def f(x):\n    if x > 0:\n        return 'pos'\n    elif x < 0:\n        return 'neg'\n    else:\n        return 'zero'\nresult = [f(i) for i in (-2, 0, 3)]",
    "total = 0\nfor i, c in enumerate('abc'):\n    total += i * ord(c)\nresult = total",
    "result = {}\nfor word in 'the cat the hat'.split():\n    result[word] = result.get(word, 0) + 1",
    "result = [x for x in range(3)]\nx = 'outer'\ny = [x for x in range(2)]\nresult = (result, x)",
    "i = 'before'\nfor i in range(3):\n    pass\nresult = i",
    "result = (lambda: 1)() + (lambda x: x)(2)",
    "square = lambda v: v * v\nresult = list(map(square, range(4)))",
    "people = [{'name': 'Ann', 'age': 30}, {'name': 'Bob', 'age': 25}]\nresult = [p['name'] for p in sorted(people, key=lambda p: p['age'])]",
    "matrix = [[1, 2], [3, 4]]\nresult = [list(row) for row in zip(*matrix)]",
    "result = 0\nx = 5\nif x > 3 and x < 10 or x == 0:\n    result = 1\nelif x:\n    result = 2",
    "s = ''\nfor ch in 'hello':\n    if ch in 'aeiou':\n        s += ch.upper()\n    else:\n        s += ch\nresult = s",
    "n = 10\nresult = []\nwhile True:\n    n -= 3\n    if n < 0:\n        break\n    result.append(n)",
    "income = 52000.0\nrate = 0.2 if income > 50000 else 0.1\nresult = f'{income * rate:,.2f}'",
    "items = [('apple', 1.25, 3), ('pear', 0.5, 10)]\nresult = '; '.join(f'{n}: ${p * q:.2f}' for n, p, q in items)",
    "x = 0\nresult = x if x else 'zero'",
    "if (n := 7) > 5:\n    result = n * 2",
    "result = [y for x in range(5) if (y := x * 2) > 4]",
    "data = [1, 2, 3, 4, 5, 6]\nresult = sum(data) / len(data)",
    "names = ['Ann', 'Bob', 'Cy']\nresult = ', '.join(names[:-1]) + ' and ' + names[-1]",
    "s = {1, 2, 3}\ns.add(4)\ns.discard(1)\ns.remove(2)\nresult = sorted(s)",
    "s = {1, 2}\nresult = (sorted(s | {3}), sorted(s & {2, 5}), sorted(s - {1}), sorted(s ^ {2, 9}), s.issubset({1, 2, 3}))",
    "s = set()\ns.update([3, 1], [2])\nresult = sorted(s.union({0}))",
    "s = {1}\ns.remove(5)\nresult = s",
    "a = [1, 2]\nb = a\na = a + [3]\nresult = (a, b)",
    "t = ()\nfor i in range(3):\n    t += (i,)\nresult = t",
    "x = 1\ndef f():\n    return x + 1\nresult = f()",
    "def f(*, key):\n    return key\nresult = f(key=3)",
    "def f(*, key):\n    return key\nresult = f(3)",
    "result = []\nfor a, b in [(1, 2), (3, 4)]:\n    result.append(a * b)",
    "result = []\nfor k in {'z': 1, 'a': 2}:\n    result.append(k)",
    "l = [1, 2, 3]\nfor x in l:\n    if x == 1:\n        l.append(4)\nresult = l",
    "d = {'a': [1]}\nd['a'].append(2)\ne = dict(d)\ne['a'].append(3)\nresult = d",
    "result = 'x'\ndel result\nresult = 'again'",
    "l = [1, 2]\ndel l[5]\nresult = l",
    "d = {}\ndel d['x']\nresult = d",
    "result = []\nfor i in range(3):\n    for j in range(3):\n        if j > i:\n            break\n        result.append((i, j))",
    "def f(n):\n    total = 0\n    i = 0\n    while i < n:\n        i += 1\n        if i % 3 == 0:\n            continue\n        total += i\n    return total\nresult = f(20)",
    "result = sorted([('b', 2), ('a', 2), ('c', 1)], key=lambda t: (t[1], t[0]))",
    "x = [3, 1, 2]\ny = sorted(x)\nresult = (x, y, x is y)",
    "a = b = []\na.append(1)\nresult = b",
    "result = list(range(5))\nresult[1:4] = []",
    "x = {'k': {'n': [10, 20]}}\nx['k']['n'][1] += 5\nresult = x",
    "result = '{name} is {age:>3}'.format(name='Jo', age=7)",
    "vals = [3, 5, 7]\nresult = max(vals) - min(vals) + sum(vals) // len(vals)",
    "q, r = divmod(17, 5)\nresult = q * 10 + r",
    "result = 0\nfor i in range(1, 4):\n    result += i ** 2\nelse:\n    result *= -1",
    "class_ = 'no classes'\nresult = class_.split()",
    "result = [i * j for i in range(1, 4) for j in range(1, 4) if i != j]",
    "try:\n    x = [1, 2, 3][10]\nexcept IndexError as err:\n    result = str(err)",
    "try:\n    d = {}\n    d['missing']\nexcept KeyError as err:\n    result = repr(err)",
    "def f():\n    try:\n        return 'try'\n    finally:\n        pass\nresult = f()",
    "def f():\n    try:\n        return 'try'\n    finally:\n        return 'finally'\nresult = f()",
    "def f():\n    for i in range(3):\n        try:\n            if i == 1:\n                break\n        finally:\n            pass\n    return i\nresult = f()",
    "result = []\nfor i in range(3):\n    try:\n        if i == 1:\n            continue\n        result.append(i)\n    finally:\n        result.append('f')",
    "try:\n    raise TypeError('t')\nexcept ValueError:\n    result = 'wrong'\nexcept TypeError:\n    result = 'right'",
    "try:\n    pass\nfinally:\n    result = 'finally only'",
    "x = 3\nresult = 'big' if x > 10 else 'mid' if x > 2 else 'small'",
    "result = not (1 < 2) or not 0",
    "result = [bool(x) for x in (0, 1, '', 'a', [], [0], None, 0.0, {}, {0: 0})]",
    "result = [type(x) == t for x, t in [(1, int), ('a', str), (1.0, float), ([], list), ((), tuple), ({}, dict)]]",
    "l = []\nresult = l.append(1) is None and l == [1]",
    "s = 'Hello'\nresult = s[0] + s[1:].upper() + s[::-1][0]",
    "acc = []\nfor i in range(3):\n    acc.append(lambda i=i: i * 10)\nresult = [f() for f in acc]",
    "result = sum(1 for c in 'mississippi' if c == 's')",
    "result = dict.fromkeys(['a', 'b'], 0)",
    "words = ['apple', 'Banana', 'cherry']\nresult = sorted(words, key=str.lower) if False else sorted(words, key=lambda w: w.lower())",
    "result = list(zip(*[(1, 'a'), (2, 'b')]))",
    "result = [x for x in 'abc' if x != 'b'] + list(reversed(range(2)))",
    "mx = None\nfor v in [4, 9, 2]:\n    if mx is None or v > mx:\n        mx = v\nresult = mx",
    "result = 0\nfor i in range(100000):\n    result += 1",
]
for b in blocks:
    add(b, "block")

# 15b. unbound methods, raise from, builtins as key functions
for e in ["sorted(['b', 'A', 'c'], key=str.lower)", "list(map(str.strip, [' a ', 'b ']))", "str.upper('x')",
          "list(map(str, [1, 2.5, None]))", "list(map(int, ['1', ' 2 ']))", "max('a', 'B', key=str.lower)",
          "sorted([[3], [1, 2]], key=len)", "list(map(len, ['ab', '']))", "str.join('-', ['a', 'b'])",
          "dict.fromkeys('ab')", "list.copy([1])", "str.lower(5)", "sorted([-3, 2, -1], key=abs)",
          "list(filter(str.isdigit, ['1', 'a', '22']))", "min(['bb', 'a'], key=len)"]:
    add(e)
add("try:\n    raise ValueError('x') from None\nexcept ValueError as e:\n    result = str(e)", "block")
add("try:\n    try:\n        {}['k']\n    except KeyError as e:\n        raise ValueError('wrapped') from e\nexcept ValueError as e:\n    result = str(e)", "block")

# 16. random arithmetic expression trees (ints kept small)
def rand_expr(depth):
    if depth == 0 or random.random() < 0.3:
        return random.choice([str(random.randint(-20, 20)), repr(random.choice(floats)), str(random.randint(0, 9))])
    op = random.choice(["+", "-", "*", "/", "//", "%", "<", "==", "and", "or"])
    return f"({rand_expr(depth - 1)} {op} {rand_expr(depth - 1)})"

for _ in range(400):
    add(rand_expr(3))

# 17. random list/str method chains
words = ["alpha", "Beta", "gamma", "DELTA", "eps ilon", ""]
for _ in range(120):
    w = random.sample(words, 3)
    k = random.choice(["sorted({l})", "sorted({l}, key=len)", "' '.join({l}).title()", "[s[::-1] for s in {l}]",
                       "max({l}, key=len)", "{{s: len(s) for s in {l}}}", "'|'.join(s.strip().lower() for s in {l})",
                       "[s.center(9, '.') for s in {l}]", "sorted({l}, key=lambda s: (len(s), s), reverse=True)",
                       "[s.split() for s in {l}]", "list(enumerate({l}))[1:]", "[s[1:3] + s[-2:] for s in {l}]"])
    add(k.format(l=repr(w)))

# 18. random small programs (statements, loops, branches, list/dict/str mutation)
def r_int():
    return str(random.randint(-9, 9))

def r_iexpr(depth=0):
    if depth > 1 or random.random() < 0.4:
        return random.choice(["a", "b", r_int(), "len(l)", "len(s)", "i"])
    op = random.choice(["+", "-", "*", "//", "%"])
    return f"({r_iexpr(depth + 1)} {op} {r_iexpr(depth + 1)})"

def r_cond():
    return random.choice([f"{r_iexpr()} {random.choice(['<', '<=', '==', '!=', '>'])} {r_iexpr()}",
                          "a in l", "not l", "s.startswith('x')", "len(d) > 1", "a % 2 == 0 and b > 0",
                          "b < 0 or a > 3", "str(a) in d", "l and l[0] > 0"])

def r_stmt(depth, ind):
    p = " " * ind
    c = random.random()
    if depth < 2 and c < 0.12:
        return f"{p}if {r_cond()}:\n{r_stmt(depth + 1, ind + 4)}\n{p}else:\n{r_stmt(depth + 1, ind + 4)}"
    if depth < 2 and c < 0.22:
        return f"{p}for i in range({random.randint(0, 3)}):\n{r_stmt(depth + 1, ind + 4)}\n{r_stmt(depth + 1, ind + 4)}"
    if depth < 2 and c < 0.27:
        return f"{p}try:\n{p}    a = a // (b - {random.randint(-2, 2)})\n{p}except ZeroDivisionError:\n{p}    a = -1"
    if depth < 2 and c < 0.30:
        return f"{p}while a > 10:\n{p}    a //= 3"
    simple = [
        f"a = {r_iexpr()} % 10007", f"b = {r_iexpr()} % 101", "a, b = b, a", "l.append(a)", "l.insert(0, b)",
        "l.pop() if l else None", "l.sort()", "l.reverse()", "l = l[::-1]", "l = [x * 2 for x in l if x % 3]",
        "l = l[-4:]", "s += str(a)", "s = s.upper()", "s = s[1:] + s[:1]", "s = s.replace('1', 'x')",
        "d[str(a % 5)] = b", "d.pop(str(b % 5), None)", "d = {k: v for k, v in d.items() if v != a}",
        "l.extend(range(b % 3))", "s = s[:12]", "l = sorted(l, key=lambda x: (-x, x))",
        "a += sum(l) % 7", "b -= len(d)", "s = '-'.join(sorted(set(s)))[:10]", "l = l[:6]",
    ]
    return p + random.choice(simple)

for _ in range(500):
    body = "\n".join(r_stmt(0, 0) for _ in range(random.randint(3, 8)))
    src = "a = 3\nb = -2\ni = 0\ns = 'xy'\nl = [1, 2, 3]\nd = {'k': 1}\n" + body + "\nresult = (a, b, s, l, sorted(d.items()))"
    add(src, "block")

# 19. exception messages: repr(exception) must match too
for e in ["1/0", "1//0", "1%0", "1.0/0", "{}['x']", "[][0]", "[1][5]", "'abc'[10]", "int('x')", "None.x", "(1).foo",
          "len(5)", "1 + 'a'", "'a' + 1", "[1] + (2,)", "[1,2].index(4)", "[].pop()", "{}.pop('x')", "'x'.index('y')",
          "{[1]: 2}", "iter(5)", "abs('x')", "min([])", "ord('')", "int(None)", "float('abc')", "float([1])",
          "sorted([1,'a'])", "1 < 'a'", "'abc'.split('')", "range(1.5)", "chr(-1)", "(1,2)[5]", "'%d' % 'x'",
          "'{}'.format()", "'{x}'.format()", "divmod(1, 0)", "[1] * 'a'", "dict([(1,2,3)])", "int('12', 2)",
          "round('1')", "hex(1.5)", "(lambda x: x)()", "(lambda x: x)(1, 2)", "(lambda: 0)(1)", "[].remove(1)",
          "set().remove(1)", "next(iter([]))", "[1,2,3][1:2:0]", "a, b = [1]", "a, b = [1, 2, 3]", "'abc'.foo()",
          "assert 1 == 2, 'nope'", "raise ValueError('custom')", "raise KeyError('k')", "'x' * 'y'",
          "(lambda a, *, k: 0)(1)", "(lambda a: 0)(a=1, b=2)", "'%s %s' % (1,)", "'%s' % (1, 2)", "int('')",
          "{'a': 1}['b']", "'{0}{}'.format(1, 2)", "[1, 2, 3].remove(5)", "(1).bit_length(2) if False else 1 // 0"]:
    add(f"try:\n    {e}\n    result = 'no error'\nexcept Exception as ex:\n    result = repr(ex)", "block")

# 20. classes: methods, properties, super(), special methods, class attributes, the MRO
class_blocks = [
    "class A:\n    def __init__(self, x):\n        self.x = x\n    def double(self):\n        return self.x * 2\nresult = A(4).double()",
    "class A:\n    kind = 'a'\n    def who(self):\n        return self.kind\nclass B(A):\n    kind = 'b'\nresult = (A().who(), B().who(), B.kind, A.__name__, type(B()).__name__)",
    "class A:\n    @property\n    def p(self):\n        return 42\nresult = A().p",
    "class A:\n    def __init__(self):\n        self.log = ['A']\nclass B(A):\n    def __init__(self):\n        super().__init__()\n        self.log.append('B')\nresult = B().log",
    "class A:\n    def f(self):\n        return ['A']\nclass B(A):\n    def f(self):\n        return ['B'] + super().f()\nclass C(A):\n    def f(self):\n        return ['C'] + super().f()\nclass D(B, C):\n    def f(self):\n        return ['D'] + super().f()\nresult = D().f()",
    "class A:\n    def __str__(self):\n        return 'an A'\n    def __repr__(self):\n        return 'A()'\nresult = (str(A()), repr(A()), f'{A()}', repr([A()]), '%s' % A(), str([A()]))",
    "class A:\n    pass\nclass B(A):\n    pass\nb = B()\nresult = (isinstance(b, A), isinstance(b, B), isinstance(A(), B), issubclass(B, A), issubclass(A, B), type(b) is B)",
    "class A:\n    def __init__(self, n):\n        self.n = n\n    def __eq__(self, other):\n        return isinstance(other, A) and self.n == other.n\n    def __lt__(self, other):\n        return self.n < other.n\nresult = (A(1) == A(1), A(1) == A(2), A(1) != A(1), A(1) < A(2), [a.n for a in sorted([A(3), A(1), A(2)])])",
    "class Bag:\n    def __init__(self, *items):\n        self.items = list(items)\n    def __len__(self):\n        return len(self.items)\n    def __iter__(self):\n        return iter(self.items)\n    def __contains__(self, x):\n        return x in self.items\n    def __getitem__(self, i):\n        return self.items[i]\nb = Bag(1, 2, 3)\nresult = (len(b), list(b), 2 in b, 5 in b, b[0], bool(Bag()), bool(b), [x * 2 for x in b])",
    "class A:\n    count = 0\n    @classmethod\n    def make(cls):\n        return cls.__name__\n    @staticmethod\n    def add(a, b):\n        return a + b\nclass B(A):\n    pass\nresult = (A.make(), B.make(), A.add(1, 2), B().add(3, 4), B().make())",
    "class A(object):\n    def __init__(self, x, y='z'):\n        self.x = x\n        self.y = y\na = A(x=1)\nresult = (a.x, a.y, hasattr(a, 'x'), hasattr(a, 'w'))",
    "class A:\n    def m(self):\n        return 1\nresult = (hasattr(A(), 'm'), hasattr(A(), 'n'))",
    "class A:\n    pass\ntry:\n    A(1)\n    result = 'no error'\nexcept TypeError:\n    result = 'TypeError'",
    "class A:\n    pass\ntry:\n    A().missing\n    result = 'no error'\nexcept AttributeError:\n    result = 'AttributeError'",
    "class A:\n    def __init__(self, v):\n        self.v = v\n    def __bool__(self):\n        return self.v > 0\nresult = [bool(A(1)), bool(A(0)), 'yes' if A(5) else 'no', not A(0)]",
    "class A:\n    def total(self, *args, scale=1):\n        return sum(args) * scale\nresult = A().total(1, 2, 3, scale=2)",
    "class A:\n    def __init__(self):\n        self.items = []\n    def add(self, x):\n        self.items.append(x)\n        return self\nresult = A().add(1).add(2).items",
    "class A:\n    def f(self):\n        return 'A'\nclass B(A):\n    def f(self):\n        return 'B' + A.f(self)\nresult = B().f()",
    "def deco(f):\n    return f\n@deco\ndef g(x):\n    return x + 1\nresult = g(1)",
    "class A:\n    x = 1\na = A()\na.x = 2\nresult = (a.x, A.x, A().x)",
    "class A:\n    def __init__(self):\n        self.n = 0\n    def bump(self):\n        self.n += 1\na = A()\nfor _ in range(3):\n    a.bump()\nresult = a.n",
]
for b in class_blocks:
    add(b, "block")
for e in ["type(1).__name__", "(1).__class__.__name__", "'x'.__class__.__name__", "[].__class__.__name__",
          "type(None).__name__", "ValueError.__name__", "(1.5).__class__ is float"]:
    add(e)
add("class A:\n    pass\nresult = (A().__class__.__name__, A().__class__ is A, A.__name__)", "block")

json.dump(cases, open(os.path.join(HERE, "cases.json"), "w"), indent=0, ensure_ascii=False)
print(f"{len(cases)} cases", file=sys.stderr)
