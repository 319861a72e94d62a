"""Variable names as both sides of the comparison write them (shared by compare.py and darun.py)."""
import re

# docassemble's index variables, in the order they stand for subscripts.
INDEX = ['i', 'j', 'k', 'l', 'm', 'n']


def generalise(var):
    """`people[0].name['a']` -> `people[i].name[j]`: each literal subscript becomes the next
    index variable, as docassemble's generic questions name them."""
    n = [0]

    def rep(m):
        inner = m.group(1)
        if re.fullmatch(r'-?\d+', inner) or (len(inner) >= 2 and inner[0] in '\'"'):
            name = INDEX[n[0]] if n[0] < len(INDEX) else 'i'
            n[0] += 1
            return '[' + name + ']'
        return m.group(0)
    return re.sub(r'\[([^\]]*)\]', rep, var)
