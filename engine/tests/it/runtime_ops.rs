//! Operators on the runtime's classes (through pyeval's `Host::binary_op`/`Host::compare`),
//! with the results docassemble gives: DADateTime comparisons and arithmetic, date intervals,
//! DAObject ordering/equality, list/set operators, DAEmpty.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test helpers fail loudly

use chrono::NaiveDate;
use engine::runtime::{DaHost, RuntimeConfig};
use pyeval::{Flow, Interp, Limits, State, Value};

fn host() -> DaHost {
    let now = NaiveDate::from_ymd_opt(2024, 3, 15)
        .and_then(|d| d.and_hms_opt(14, 5, 0))
        .unwrap();
    DaHost::new(RuntimeConfig::at(now))
}

fn exec(h: &DaHost, st: &mut State, src: &str) {
    let b = pyeval::compile_block(src).unwrap();
    Interp::new(st, h, &Limits::default()).exec(&b).unwrap();
}

fn eval(h: &DaHost, st: &mut State, src: &str) -> Result<Value, Flow> {
    let e = pyeval::compile_expr(src).unwrap();
    Interp::new(st, h, &Limits::default()).eval(&e)
}

fn s(h: &DaHost, st: &mut State, src: &str) -> String {
    match eval(h, st, &format!("repr({src})")) {
        Ok(Value::Str(x)) => x.to_string(),
        other => panic!("{src}: {other:?}"),
    }
}

fn check(h: &DaHost, st: &mut State, cases: &[(&str, &str)]) {
    for (expr, want) in cases {
        assert_eq!(s(h, st, expr), *want, "{expr}");
    }
}

fn type_error(h: &DaHost, st: &mut State, src: &str) -> String {
    match eval(h, st, src) {
        Err(Flow::Raise(e)) if e.kind == "TypeError" => e.message.to_string(),
        other => panic!("{src}: expected TypeError, got {other:?}"),
    }
}

#[test]
fn dadatetime_comparisons() {
    let h = host();
    let mut st = State::new();
    check(
        &h,
        &mut st,
        &[
            ("current_datetime() < as_datetime('2030-01-01')", "True"),
            ("current_datetime() > as_datetime('2030-01-01')", "False"),
            ("as_datetime('2030-01-01') >= today()", "True"),
            ("today() <= current_datetime()", "True"),
            ("as_datetime('2024-03-15') == today()", "True"),
            ("as_datetime('2024-03-15') != today()", "False"),
            ("as_datetime('2024-03-16') != today()", "True"),
            // a DADateTime is a datetime
            ("today() == datetime.datetime(2024, 3, 15)", "True"),
            ("datetime.datetime(2024, 3, 14) < today()", "True"),
            ("today() == date(2024, 3, 15)", "False"),
            (
                "today() in [as_datetime('1/1/2000'), as_datetime('3/15/2024')]",
                "True",
            ),
            (
                "[as_datetime('3/15/2024'), as_datetime('1/1/2000')].index(today())",
                "0",
            ),
            (
                "sorted([as_datetime('3/15/2024'), as_datetime('1/1/2000')])[0].year",
                "2000",
            ),
            ("max(today(), as_datetime('1/1/2030')).year", "2030"),
        ],
    );
    let m = type_error(&h, &mut st, "today() < date(2025, 1, 1)");
    assert_eq!(m, "can't compare datetime.datetime to datetime.date");
    type_error(&h, &mut st, "today() < 3");
}

#[test]
fn dadatetime_arithmetic() {
    let h = host();
    let mut st = State::new();
    check(
        &h,
        &mut st,
        &[
            (
                "today() + date_interval(days=3)",
                "DADateTime(2024, 3, 18, 0, 0)",
            ),
            (
                "date_interval(days=3) + today()",
                "DADateTime(2024, 3, 18, 0, 0)",
            ),
            (
                "today() - date_interval(months=1)",
                "DADateTime(2024, 2, 15, 0, 0)",
            ),
            (
                "as_datetime('1/31/2024') + date_interval(months=1)",
                "DADateTime(2024, 2, 29, 0, 0)",
            ),
            (
                "current_datetime() + date_interval(weeks=1, hours=2)",
                "DADateTime(2024, 3, 22, 16, 5)",
            ),
            (
                "today() + datetime.timedelta(days=1)",
                "DADateTime(2024, 3, 16, 0, 0)",
            ),
            (
                "datetime.timedelta(days=1) + today()",
                "DADateTime(2024, 3, 16, 0, 0)",
            ),
            (
                "today() - datetime.timedelta(days=1)",
                "DADateTime(2024, 3, 14, 0, 0)",
            ),
            // DADateTime - DADateTime (or datetime) is a timedelta
            (
                "as_datetime('2024-03-20') - today()",
                "datetime.timedelta(days=5)",
            ),
            ("(as_datetime('2024-03-20') - today()).days", "5"),
            (
                "datetime.datetime(2024, 3, 20) - today()",
                "datetime.timedelta(days=5)",
            ),
            (
                "today() - datetime.datetime(2024, 3, 20)",
                "datetime.timedelta(days=-5)",
            ),
            ("(today() + date_interval(days=3)).day", "18"),
            (
                "(today() + date_interval(days=3)).format('yyyy-MM-dd')",
                "'2024-03-18'",
            ),
            ("today() + date_interval(days=1) > today()", "True"),
            // str concatenation
            ("'Due ' + today()", "'Due March 15, 2024'"),
            ("today() + '!'", "'March 15, 2024!'"),
        ],
    );
    exec(&h, &mut st, "d = today()\nd += date_interval(years=1)");
    check(&h, &mut st, &[("d", "DADateTime(2025, 3, 15, 0, 0)")]);
    type_error(&h, &mut st, "today() * 2");
    type_error(&h, &mut st, "today() + today()");
    type_error(&h, &mut st, "today() - date(2024, 1, 1)");
}

#[test]
fn date_intervals() {
    let h = host();
    let mut st = State::new();
    check(
        &h,
        &mut st,
        &[
            ("date_interval(days=3)", "relativedelta(days=+3)"),
            (
                "date_interval(weeks=1, hours=30)",
                "relativedelta(days=+8, hours=+6)",
            ),
            ("date_interval(weeks=2).days", "14"),
            ("date_interval(days=15).weeks", "2"),
            ("date_interval(months=14).years", "1"),
            (
                "date_interval(days=1) + date_interval(months=2)",
                "relativedelta(months=+2, days=+1)",
            ),
            (
                "date_interval(days=5) - date_interval(days=2)",
                "relativedelta(days=+3)",
            ),
            ("date_interval(days=2) * 3", "relativedelta(days=+6)"),
            ("2 * date_interval(months=1)", "relativedelta(months=+2)"),
            ("date_interval(weeks=1) == date_interval(days=7)", "True"),
            ("date_interval(days=1) == date_interval(days=2)", "False"),
            (
                "date(2024, 1, 31) + date_interval(months=1)",
                "datetime.date(2024, 2, 29)",
            ),
            (
                "date(2024, 1, 31) + date_interval(hours=1)",
                "datetime.datetime(2024, 1, 31, 1, 0)",
            ),
            (
                "datetime.datetime(2024, 1, 1) - date_interval(days=1)",
                "datetime.datetime(2023, 12, 31, 0, 0)",
            ),
            (
                "date(2024, 3, 1) - date_interval(days=1)",
                "datetime.date(2024, 2, 29)",
            ),
        ],
    );
}

#[test]
fn objects_and_collections() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "a = Individual()\na.name.first = 'Zed'\nb = Individual()\nb.name.first = 'Amy'\n\
         people = DAList('people', elements=[a, b], gathered=True)\n\
         others = DAList('others', elements=[b], gathered=True)\n\
         s = DASet('s', elements=[1, 2], gathered=True)\n\
         t = DASet('t', elements=[2, 3], gathered=True)",
    );
    check(
        &h,
        &mut st,
        &[
            // DAObject: == is identity, ordering compares str()
            ("a == a", "True"),
            ("a == b", "False"),
            ("a != b", "True"),
            ("b < a", "True"),
            ("a > 'Bob'", "True"),
            ("[str(p) for p in sorted([a, b])]", "['Amy', 'Zed']"),
            ("max(people).name.first", "'Zed'"),
            ("a in people and b in others and a not in others", "True"),
            ("people.index(b)", "1"),
            // a slice is a list of the items there are
            ("[str(p) for p in people[1:]]", "['Amy']"),
            ("[str(p) for p in people[::-1]]", "['Amy', 'Zed']"),
            ("people[5:]", "[]"),
            // collections: == compares elements
            ("people == [a, b]", "True"),
            ("[b] == others", "True"),
            ("people == others", "False"),
            ("s == {1, 2}", "True"),
            // DAList + DAList is a new gathered DAList; + list is a list
            ("[str(p) for p in people + others]", "['Zed', 'Amy', 'Amy']"),
            ("isinstance(people + others, DAList)", "True"),
            ("len(people + [1])", "3"),
            ("isinstance(people + [1], list)", "True"),
            ("len([1] + people)", "3"),
            // DASet operators work on the elements
            ("s | t", "{1, 2, 3}"),
            ("s & t", "{2}"),
            ("s - t", "{1}"),
            ("s ^ {1}", "{2}"),
            // DAEmpty returns the other operand
            ("DAEmpty() + 3", "3"),
            ("3 + DAEmpty()", "3"),
        ],
    );
    exec(&h, &mut st, "people.remove(a)");
    check(&h, &mut st, &[("people == [b]", "True")]);
    exec(&h, &mut st, "people.append(a)");
    check(
        &h,
        &mut st,
        &[("[str(p) for p in people.filter(name=a.name)]", "['Zed']")],
    );
    let m = type_error(&h, &mut st, "a < 3");
    assert_eq!(
        m,
        "'<' not supported between instances of 'Individual' and 'int'"
    );
}

#[test]
fn using_is_a_class_method() {
    // no source rewrite: `Class.using(...)` reaches DaHost::call_class_method
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "people = DAList.using(object_type=Individual, there_are_any=True)('people')\n\
         C = Thing.using(color='red')\n\
         t = C.using(size=3)('t')",
    );
    check(
        &h,
        &mut st,
        &[
            (
                "DAList.using(object_type=Individual, there_are_any=True)",
                "<class 'DAList.using(object_type=Individual, there_are_any=True)'>",
            ),
            ("people.there_are_any", "True"),
            ("people.object_type", "<class 'Individual'>"),
            ("isinstance(people, DAList)", "True"),
            ("people.instanceName", "'people'"),
            ("t.color + str(t.size)", "'red3'"),
            ("isinstance(t, Thing)", "True"),
            // the old helper still works
            (
                "_da_using(DAList, auto_gather=False)",
                "<class 'DAList.using(auto_gather=False)'>",
            ),
        ],
    );
    // objects: entries compiled without the rewrite
    let mut it = Interp::new(&mut st, &h, &Limits::default());
    engine::runtime::objects::create_from_source(
        &h,
        &mut it,
        "kids",
        "DAList.using(object_type=Individual, complete_attribute='name.first')",
    )
    .unwrap();
    drop(it);
    check(
        &h,
        &mut st,
        &[
            ("kids.complete_attribute", "'name.first'"),
            ("kids.instanceName", "'kids'"),
        ],
    );
    match eval(&h, &mut st, "DAList.nope()") {
        Err(Flow::Raise(e)) => assert_eq!(e.kind, "AttributeError"),
        other => panic!("{other:?}"),
    }
    type_error(&h, &mut st, "DAList.using(1)");
}

#[test]
fn session_functions_and_json() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "client = Individual('client')\nset_info(user=client, role='client')\n\
         mark_task_as_performed('intro')\nmark_task_as_performed('intro')\n\
         session_tags().add('grapes')\n\
         orig = DAObject('orig')\norig.ceo = Individual()\norig.ceo.name.first = 'Ann'\n\
         deep = orig.copy_deep('deep')\nshallow = orig.copy_shallow('shallow')\n\
         deep.ceo.name.first = 'Bob'\n\
         fruit = DAList('fruit', object_type=Thing)\nfruit.appendObject()\nfruit[0].name.text = 'fig'\n\
         picked = DAList('picked', elements=[fruit[0]], gathered=True)\n\
         kept = picked.copy_deep('person.picks')",
    );
    check(
        &h,
        &mut st,
        &[
            ("get_info('role')", "'client'"),
            ("get_info('user') is client", "True"),
            ("get_info('nothing')", "None"),
            ("task_performed('intro')", "True"),
            ("task_not_yet_performed('other')", "True"),
            ("times_task_performed('intro')", "2"),
            ("session_tags()", "{'grapes'}"),
            ("returning_user()", "False"),
            ("device().is_mobile or device().is_tablet", "False"),
            ("device().is_pc", "True"),
            ("current_context().filename", "'interview.yml'"),
            ("interview_list()[0]", "[]"),
            ("server_capabilities()['sms']", "False"),
            (
                "', '.join(list(server_capabilities())[5:9])",
                "'keycloak_login, authentik_login, azure_login, miniorange_login'",
            ),
            ("'America/New_York' in timezone_list()", "True"),
            ("chat_partners_available('advocate').help", "0"),
            ("phone_number_is_valid('202-555-0123')", "True"),
            ("phone_number_is_valid('555-0123')", "False"),
            ("json.dumps({'a': [1, None]})", "'{\"a\": [1, null]}'"),
            ("us.states.mapping('abbr', 'name')['CA']", "'California'"),
            ("len(us.states.mapping('abbr', 'fips'))", "55"),
            ("list(us.states.mapping('fips', 'abbr'))[-1]", "'78'"),
            (
                "json.loads('{\"a\": [1, 2.5, true]}')",
                "{'a': [1, 2.5, True]}",
            ),
            // docassemble's default is simplify=True: plain values, objects as dicts
            ("all_variables(simplify=False)['client'] is client", "True"),
            ("all_variables()['client']['instanceName']", "'client'"),
            // copies: deep copies nested objects (renamed), shallow shares them
            ("orig.ceo.name.first", "'Ann'"),
            ("deep.ceo.name.first", "'Bob'"),
            ("deep.ceo.instanceName", "'deep.ceo'"),
            // items are renamed by their place in the copy, whatever they were named
            ("kept[0].instanceName", "'person.picks[0]'"),
            ("kept[0].name.instanceName", "'person.picks[0].name'"),
            ("kept[0].name.text", "'fig'"),
            ("fruit[0].instanceName", "'fruit[0]'"),
            ("shallow.ceo is orig.ceo", "True"),
            ("shallow.instanceName", "'shallow'"),
        ],
    );
}

#[test]
fn sort_returns_the_list_and_set_algebra_returns_sets() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "b = DAList('b', elements=[3, 1, 2], gathered=True)\nx = b.sort()\n\
         s = DASet('s', elements=[1, 2], gathered=True)\nu = s.intersection({2, 3})",
    );
    check(
        &h,
        &mut st,
        &[
            ("x is b", "True"),
            ("list(b)", "[1, 2, 3]"),
            ("[v for v in b.sort(key=lambda v: -v)]", "[3, 2, 1]"),
            ("isinstance(u, DASet) and u.number() == 1", "True"),
            ("s.union([5]).number()", "3"),
            ("s.isdisjoint({7})", "True"),
        ],
    );
}

#[test]
fn financial_and_legal_classes() {
    let h = host();
    let mut st = State::new();
    exec(
        &h,
        &mut st,
        "assets = Asset('assets')\nassets['house'].exists = True\nassets['house'].value = 100\n\
         assets['car'].exists = False\nassets['boat'].exists = True\nassets['boat'].value = 50.5\n\
         assets.gathered = True\n\
         income = Income('income')\nincome['job'].exists = True\nincome['job'].value = 1000\n\
         income['job'].period = 12\nincome.gathered = True\n\
         v = Value('v', value=5, exists=True)\n\
         witness = PartyList('witness', there_are_any=False)\n\
         court = Court('court')\ncourt.name = 'Superior Court'\n\
         case = Case('case')\ncase.court = court",
    );
    check(
        &h,
        &mut st,
        &[
            ("assets.total()", "Decimal('150.5')"),
            ("str(assets)", "'150.5'"),
            ("assets.existing_items()", "['boat', 'house']"),
            ("income.total()", "Decimal('12000')"),
            ("income.total(12)", "Decimal('1000')"),
            ("income['job'].amount(period_to_use=12)", "Decimal('1000')"),
            ("assets['car'].amount()", "0"),
            ("v < 6 and v == 5 and v >= Value(value=5)", "True"),
            ("str(v)", "'5'"),
            ("witness.object_type", "<class 'Individual'>"),
            ("isinstance(witness, DAList)", "True"),
            ("str(court)", "'Superior Court'"),
            ("court.in_the_court()", "'In the Superior Court'"),
            ("court.jurisdiction", "[]"),
            ("case.plaintiff.instanceName", "'case.plaintiff'"),
            ("case.firstParty is case.plaintiff", "True"),
            ("case.is_solo_action", "False"),
            ("case.case_id_in_caption()", "'Case No.'"),
        ],
    );
}

#[test]
fn markup_functions() {
    let h = host();
    let mut st = State::new();
    check(
        &h,
        &mut st,
        &[
            (
                "verbatim('a *b* <i> & 1. x_y #z')",
                "'<span>a &#42;b&#42; &lt;i&gt; &amp; 1&#46; x&#95;y &#35;z</span>'",
            ),
            ("verbatim('a\\n\\nb')", "'<span>a<br>b</span>'"),
            (
                "static_image('x:y.png', width='2in')",
                "'[FILE x:y.png, 2in]'",
            ),
            ("qr_code('http://x')", "'[QR http://x]'"),
        ],
    );
}

#[test]
fn re_module() {
    let h = host();
    let mut st = State::new();
    check(
        &h,
        &mut st,
        &[
            (
                "re.sub(r' (the|a|an) ', ' AARGH! ', 'I saw the cat and a dog')",
                "'I saw AARGH! cat and AARGH! dog'",
            ),
            (
                "re.sub(r'(\\w+)@(\\w+)', r'\\2 at \\1', 'me@home')",
                "'home at me'",
            ),
            ("re.sub('a', 'b', 'aaa', 2)", "'bba'"),
            ("re.findall(r'\\d+', 'a1 b22')", "['1', '22']"),
            ("re.split(r',\\s*', 'a, b,c')", "['a', 'b', 'c']"),
            ("re.escape('a.b')", "'a\\\\.b'"),
        ],
    );
}
