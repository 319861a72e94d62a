"""Minimal host for docassemble.base's engine outside the webapp (a development harness)."""
import pluggy
import docassemble.base.config as dacfg
from docassemble.base.plugin_manager import pm

hookimpl = pluggy.HookimplMarker("docassemble")


class Host:
    @hookimpl
    def get_default_language(self):
        return 'en'

    @hookimpl
    def get_default_dialect(self):
        return 'us'

    @hookimpl
    def get_default_locale(self):
        return 'US.utf8'

    @hookimpl
    def get_default_voice(self):
        return None

    @hookimpl
    def get_default_timezone(self):
        return 'America/New_York'

    @hookimpl
    def get_default_country(self):
        return 'US'

    @hookimpl
    def get_configuration(self):
        return dacfg.daconfig

    @hookimpl
    def get_hostname(self):
        return 'localhost'

    @hookimpl
    def get_debug_status(self):
        return True

    @hookimpl
    def url_for(self, endpoint, kwargs):
        args = '&'.join(f"{k}={v}" for k, v in (kwargs or {}).items())
        return f"/{endpoint}" + (f"?{args}" if args else '')


pm.register(Host())


class More:
    @hookimpl
    def get_main_page_parts(self):
        return {'*': {}}

    @hookimpl
    def get_button_class_prefix(self):
        return 'btn-'

    @hookimpl
    def get_url(self):
        return 'http://localhost/'

    @hookimpl
    def get_referer(self):
        return None

    @hookimpl
    def get_default_table_class(self):
        return 'table table-striped'

    @hookimpl
    def get_default_thead_class(self):
        return 'table-dark'

    @hookimpl
    def navigation_bar(self, nav, interview, wrapper, inner_div_class, inner_div_extra, show_links, hide_inactive_subs, a_class, show_nesting, include_arrows, always_open, return_dict):
        return ''

    @hookimpl
    def url_finder(self, file_reference, kwargs):
        return '/packagestatic/' + str(file_reference)

    @hookimpl
    def file_finder(self, file_reference, question, folder, package, filename, return_nonexistent, uids):
        return {'filename': str(file_reference)}

    @hookimpl
    def secure_filename(self, filename):
        import werkzeug.utils
        return werkzeug.utils.secure_filename(filename)

    @hookimpl
    def transform_json_variables(self, obj):
        return obj

    @hookimpl
    def fix_pickle_obj(self, data):
        import pickle
        return pickle.loads(data)

    @hookimpl
    def server_sql_defined(self, key):
        return False

    @hookimpl
    def ensure_training_loaded(self, interview):
        return None


pm.register(More())


class FakeRedis:
    def __init__(self):
        self.d = {}

    def get(self, k):
        return self.d.get(k)

    def set(self, k, v, *a, **kw):
        self.d[k] = v if isinstance(v, bytes) else str(v).encode()
        return True

    def setex(self, k, t, v):
        return self.set(k, v)

    def incr(self, k):
        n = int(self.d.get(k, b'0')) + 1
        self.d[k] = str(n).encode()
        return n

    def expire(self, *a):
        return True

    def delete(self, *ks):
        for k in ks:
            self.d.pop(k, None)

    def exists(self, k):
        return k in self.d

    def keys(self, pattern='*'):
        import fnmatch
        return [k.encode() if isinstance(k, str) else k for k in self.d if fnmatch.fnmatch(k if isinstance(k, str) else k.decode(), pattern)]


_redis = FakeRedis()


class Redis:
    @hookimpl
    def get_server_redis(self):
        return _redis

    @hookimpl
    def get_server_redis_user(self):
        return _redis


pm.register(Redis())
