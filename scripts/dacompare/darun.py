"""Runs a docassemble interview with docassemble.base's own engine and an answers file, printing a
transcript in the shape of `colloquy run` (a development harness: compare the two engines)."""
import sys, os, json, re, html, traceback, argparse, datetime, copy

import docassemble.base.config
docassemble.base.config.load(filename=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'config.yml'))
import daplug  # noqa: E402,F401
from docassemble.base.thread_context import global_context, empty_globals, user_dict_context  # noqa: E402
import docassemble.base.parse  # noqa: E402
import docassemble.base.interview_cache  # noqa: E402
import docassemble.base.util  # noqa: E402
from varnames import INDEX, generalise  # noqa: E402


def current_info(ref):
    return {'user': {'is_anonymous': True, 'is_authenticated': False, 'email': None, 'theid': 'anon',
                     'the_user_id': 't1', 'roles': ['user'], 'firstname': None, 'lastname': None,
                     'nickname': None, 'country': None, 'subdivisionfirst': None,
                     'subdivisionsecond': None, 'subdivisionthird': None, 'organization': None,
                     'location': None, 'session_uid': 'abc', 'device_id': 'dev'},
            'session': 'SESSIONID', 'secret': None, 'yaml_filename': ref,
            'url': 'http://localhost/', 'url_root': 'http://localhost/', 'encrypted': False,
            'interface': 'web', 'request': None, 'orig_method': 'GET', 'orig_path': '/',
            'headers': {}, 'clientip': '127.0.0.1', 'method': 'GET'}


INLINE = {'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'i', 'kbd', 'mark',
          'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
          'img', 'label', 'font', 'del', 'ins'}


def plain(h):
    if h is None:
        return ''
    def tag(m):
        name = m.group(1).lower()
        return '' if name in INLINE else ' '
    t = re.sub(r'<\s*/?\s*([A-Za-z0-9]+)[^>]*>', tag, str(h))
    t = re.sub(r'<!--.*?-->', '', t, flags=re.S)
    t = html.unescape(t)
    return ' '.join(t.split())


def concrete(var, user_dict):
    def rep(m):
        name = m.group(1)
        if name in INDEX and name in user_dict:
            v = user_dict[name]
            return '[' + (repr(v) if isinstance(v, str) else str(v)) + ']'
        return m.group(0)
    var = re.sub(r'\[([a-n])\]', rep, var)
    m = re.match(r'^x(?=[.\[])', var)
    if m and 'x' in user_dict and hasattr(user_dict['x'], 'instanceName'):
        var = user_dict['x'].instanceName + var[1:]
    return var


def take(var, answers, used, list_is_value):
    for k in (var, generalise(var)):
        if k in answers:
            v = answers[k]
            if isinstance(v, list) and (not list_is_value or all(isinstance(x, list) for x in v)):
                n = used.get(k, 0)
                used[k] = n + 1
                return (True, v[n] if n < len(v) else None) if n < len(v) else (False, None)
            return True, v
    return False, None


SPECIAL = ('restart', 'exit', 'logout', 'exit_logout', 'leave', 'new_session', 'signin', 'register', 'refresh')


def is_end(data, status):
    qt = data.get('questionType')
    if qt == 'deadend':
        return True
    if qt == 'multiple_choice' and status.question is not None:
        fields = data.get('fields') or []
        if fields and not is_var(fields[0].get('variable_name')):
            try:
                ch = status.question.fields[0].choices
            except Exception:
                return False
            kinds = []
            for c in ch:
                k = c.get('key') if isinstance(c, dict) else None
                kinds.append(getattr(k, 'question_type', None))
            return bool(kinds) and all(k in SPECIAL for k in kinds)
    return False


def is_var(v):
    return bool(v) and not v.startswith('_internal[')


def pyval(datatype, v):
    if v is None:
        return 'None'
    if datatype in ('yesno', 'noyes', 'yesnowide', 'noyeswide', 'boolean', 'yesnoradio',
                    'noyesradio', 'threestate', 'yesnomaybe', 'noyesmaybe'):
        if isinstance(v, str):
            return 'True' if v.lower() in ('true', 'yes', '1') else ('None' if v.lower() in ('none', 'maybe') else 'False')
        return 'True' if v else ('None' if v is None else 'False')
    if datatype == 'integer':
        return 'int(%r)' % str(v)
    if datatype in ('number', 'float', 'currency', 'range'):
        return 'float(%r)' % str(v)
    if datatype == 'date':
        return 'docassemble.base.util.as_datetime(%r)' % str(v)
    if datatype == 'datetime':
        return 'docassemble.base.util.as_datetime(%r)' % str(v)
    if datatype == 'time':
        return 'docassemble.base.util.as_datetime(%r).time()' % str(v)
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, (int, float)):
        return repr(str(v)) if datatype in ('text', 'area', None) else repr(v)
    return repr(str(v))


def as_shown(v):
    if isinstance(v, bool):
        return 'True' if v else 'False'
    if v is None:
        return 'None'
    return str(v)


def hidden_by_show_if(field, given, hidden, user_dict):
    """Whether the browser hides this field: `show if`/`hide if` on another field of the
    screen (docassemble evaluates those in JavaScript, so the server's data marks them active)."""
    var = field.get('show_if_var')
    if not var or 'show_if_sign' not in field:
        return False
    var = concrete(var, user_dict)
    if var in hidden:
        return True
    if var not in given:
        return False
    v = given[var]
    want = str(field.get('show_if_val'))
    if isinstance(v, list):
        match = want in [as_shown(x) for x in v]
    else:
        match = as_shown(v) == want
    return match != bool(field['show_if_sign'])


def run(ref, answers, max_screens):
    out = {'status': 'limit', 'screens': [], 'end': None, 'missing': None, 'error': None}
    used = {}
    with global_context(empty_globals()):
        interview = docassemble.base.interview_cache.get_interview(ref)
        user_dict = docassemble.base.parse.get_initial_dict()
        for _ in range(max_screens):
            status = docassemble.base.parse.InterviewStatus(current_info=current_info(ref))
            try:
                with user_dict_context(user_dict):
                    interview.assemble(user_dict, status)
                    data = status.as_data(user_dict, encode=True)
                    # the webapp's end of a request (interview/views.py): a request that
                    # followed no stored button answer forgets them
                    if not getattr(status, 'followed_mc', False) and user_dict['_internal']['answers']:
                        user_dict['_internal']['answers'].clear()
            except Exception as e:
                out['status'] = 'error'
                out['error'] = '%s: %s' % (type(e).__name__, str(e)[:500])
                return out
            if data.get('questionType') in SPECIAL:
                out['status'] = 'completed'
                out['end'] = {'question': '[%s]' % data.get('questionType'), 'subquestion': ''}
                return out
            if is_end(data, status) or status.question is None:
                out['status'] = 'completed'
                out['end'] = {'question': plain(data.get('questionText')),
                              'subquestion': plain(data.get('subquestionText'))}
                return out
            fields = data.get('fields') or []
            rec = {'question_name': data.get('_question_name'), 'question_type': data.get('questionType'),
                   'question': plain(data.get('questionText')),
                   'subquestion': plain(data.get('subquestionText')),
                   'variables': [concrete(f['variable_name'], user_dict) for f in fields if is_var(f.get('variable_name')) and f.get('active') is not False],
                   'answers': {}}
            qvar = data.get('questionVariableName') or data.get('variable_name')
            commands = []
            qt = data.get('questionType')
            if qt in ('settrue', 'review'):
                var = None
                for f in status.question.fields:
                    if getattr(f, 'saveas', None):
                        var = f.saveas
                        try:
                            dec = docassemble.base.parse.from_safeid(f.saveas)
                            if re.match(r'^[A-Za-z_][A-Za-z0-9_.\[\]\'" ]*$', dec):
                                var = dec
                        except Exception:
                            pass
                        break
                if data.get('question_variable_name'):
                    var = data['question_variable_name']
                if 'continue button field' in (status.question.fields[0].extras if status.question.fields else {}):
                    var = status.question.fields[0].extras['continue button field']
                if var:
                    var = concrete(var, user_dict)
                    rec['answers'][var] = True
                    rec['variables'] = [var]
                    commands.append(var + ' = True')
            else:
                hidden = set()
                for f in fields:
                    var = f.get('variable_name')
                    if not is_var(var):
                        var = None
                    if var:
                        var = concrete(var, user_dict)
                    dt = f.get('datatype') or 'text'
                    if f.get('active') is False:
                        continue
                    if hidden_by_show_if(f, rec['answers'], hidden, user_dict):
                        if var:
                            hidden.add(var)
                        continue
                    if not var:
                        ch = f.get('choices') or []
                        if ch and qt == 'multiple_choice':
                            name = data.get('_question_name')
                            if name in answers:
                                w = answers[name]
                                if isinstance(w, list):
                                    # asked more than once (for each of a list's items)
                                    n = used.get(name, 0)
                                    used[name] = n + 1
                                    w = w[n] if n < len(w) else None
                                idx = next((i for i, c in enumerate(ch) if plain(c.get('label')) == str(w) or str(c.get('value')) == str(w)), None)
                            else:
                                idx = None
                            if idx is None:
                                out['screens'].append(rec)
                                out['status'] = 'needs_answer'
                                out['missing'] = name
                                return out
                            rec['answers'][name] = plain(ch[idx].get('label'))
                            key = status.question.extended_question_name(user_dict)
                            commands.append('_internal["answers"][%r] = %d' % (key, idx))
                        continue
                    multiple = dt in ('checkboxes', 'multiselect', 'object_checkboxes', 'object_multiselect')
                    ok, v = take(var, answers, used, multiple)
                    if not ok:
                        if f.get('required') is False:
                            continue
                        if 'choices' in f and not f['choices'] and f.get('inputtype') not in ('combobox', 'datalist'):
                            # a choice field whose choices came out empty: the browser shows
                            # nothing and posts nothing; the web app stores None
                            commands.append('%s = None' % var)
                            continue
                        if status.extras.get('list_collect') is not None and rec['answers']:
                            # a blank item of a list collect screen: the browser posts none
                            continue
                        out['screens'].append(rec)
                        out['status'] = 'needs_answer'
                        out['missing'] = var
                        return out
                    rec['answers'][var] = v
                    if dt in ('checkboxes', 'multiselect'):
                        if isinstance(v, dict):
                            chosen = [str(k) for k, on in v.items() if on]
                        else:
                            chosen = [str(x) for x in (v if isinstance(v, list) else [v])]
                        commands.append(var + ' = docassemble.base.util.DADict(%r, auto_gather=False, gathered=True)' % var)
                        for c in f.get('choices') or []:
                            cv = c.get('variable_name')
                            if not cv:
                                continue
                            m = re.search(r"\[(.*)\]$", cv)
                            key = eval(m.group(1)) if m else plain(c.get('label'))
                            on = str(key) in chosen or plain(c.get('label')) in chosen
                            commands.append('%s[%r] = %s' % (var, key, on))
                        continue
                    if dt in ('object', 'object_radio'):
                        commands.append('%s = %s' % (var, v))
                        continue
                    if qt == 'multiple_choice' and f.get('choices'):
                        # the posted value is the choice's value
                        commands.append('%s = %r' % (var, v))
                        continue
                    commands.append('%s = %s' % (var, pyval(dt, v)))
            if qt not in ('settrue', 'review') and data.get('question_variable_name'):
                cv = concrete(data['question_variable_name'], user_dict)
                commands.append(cv + ' = True')
                rec['answers'][cv] = True
                if cv not in rec['variables']:
                    rec['variables'].append(cv)
            collected = status.extras.get('list_collect')
            if collected is not None and qt not in ('settrue', 'review'):
                # what the web app does around a list collect post (interview/views.py), and
                # the hidden field the browser posts when the screen is final
                name = collected.instanceName
                commands.insert(0, name + '._allow_appending()')
                if status.extras.get('list_collect_is_final'):
                    if getattr(collected, 'ask_number', False):
                        commands.append(name + '.target_number = len(' + name + '.elements)')
                    else:
                        commands.append(name + '.there_is_another = False')
                commands.append(name + '._disallow_appending()')
            with user_dict_context(user_dict):
                try:
                    exec('import docassemble.base.util', user_dict)
                    for c in commands:
                        exec(c, user_dict)
                except Exception as e:
                    out['screens'].append(rec)
                    out['status'] = 'error'
                    out['error'] = 'setting answers: %s: %s (%s)' % (type(e).__name__, e, commands)
                    return out
                name = data.get('_question_name')
                if name and name not in user_dict['_internal']['answers']:
                    try:
                        interview.questions_by_name[name].mark_as_answered(user_dict)
                    except Exception:
                        pass
                stack = user_dict['_internal'].get('event_stack', {}).get('abc')
                if stack and stack[0]['action'] in (data.get('event_list') or []):
                    stack.pop(0)
            out['screens'].append(rec)
    return out


def batch(path):
    import signal
    def alarm(*_):
        raise TimeoutError('timed out')
    signal.signal(signal.SIGALRM, alarm)
    for line in open(path):
        job = json.loads(line)
        signal.alarm(60)
        try:
            t = run(job['ref'], job['answers'], job.get('max_screens', 60))
        except BaseException as e:
            t = {'status': 'error', 'screens': [], 'end': None, 'missing': None,
                 'error': '%s: %s' % (type(e).__name__, e)}
        finally:
            signal.alarm(0)
        with open(job['out'], 'w') as f:
            json.dump(t, f, indent=1, default=str)
        print(job['ref'], t['status'], flush=True)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--batch':
        return batch(sys.argv[2])
    p = argparse.ArgumentParser()
    p.add_argument('ref')
    p.add_argument('--answers')
    p.add_argument('--max-screens', type=int, default=200)
    a = p.parse_args()
    answers = json.load(open(a.answers)) if a.answers else {}
    try:
        t = run(a.ref, answers, a.max_screens)
    except Exception as e:
        t = {'status': 'error', 'screens': [], 'end': None, 'missing': None,
             'error': '%s: %s' % (type(e).__name__, e)}
        traceback.print_exc(file=sys.stderr)
    print(json.dumps(t, indent=1, default=str))
    sys.exit({'completed': 0, 'needs_answer': 3, 'error': 4, 'limit': 5}[t['status']])


if __name__ == '__main__':
    main()
