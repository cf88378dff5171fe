"""The admin console at /console in headless Chromium (Debian's `chromium`, driven by
Playwright from PyPI), checked against the API through boto3: signing in, instances,
Add user, the Users page's search and filters, a user's page, bulk edit, and the
security rules (CSRF, strict sign-in, other accounts, passwords never shown).

The tests take the screenshots docs/console.md shows; they are written to
ROSTER_SCREENSHOT_DIR (e.g. `ROSTER_SCREENSHOT_DIR=docs/console`, which refreshes the
documentation's), else to a temporary directory, so a test run leaves the tree as it was.
"""

import os
import re
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import pytest

from conftest import REPO, RosterServer, make_client
from helpers import unique

# From tests/e2e/requirements.txt; without it these tests fail rather than skip.
import playwright.sync_api as playwright_sync  # noqa: E402

SHOTS = Path(os.environ.get("ROSTER_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="roster-shots-"))
if not SHOTS.is_absolute():
    SHOTS = REPO / SHOTS
SHOTS.mkdir(parents=True, exist_ok=True)
PASSWORD = "Typed-Secret-77x"


def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Debian's chromium is needed for the console tests: apt-get install -y chromium "
            "(scripts/test.sh installs it)"
        )
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("console")
    # Room for the 1,000-row upload besides the other tests' users.
    s = RosterServer(base / "data", base / "roster.log",
                     extra_args=["--max-users-per-instance", "5000"])
    s.start()
    yield s
    assert s.stop() == 0, s.log_tail()


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield b
        b.close()


class Seen:
    """Every HTML body the browser received, to look for what must never appear."""

    def __init__(self, page):
        self.bodies = []
        page.on("response", self._keep)

    def _keep(self, response):
        if "text/html" in (response.headers.get("content-type") or ""):
            try:
                self.bodies.append(response.text())
            except Exception:  # a redirect has no body
                pass


def new_page(browser, width=1280, height=800):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.seen = Seen(page)
    return page


def sign_in(page, url, account="123456789012", region="us-east-1"):
    page.goto(f"{url}/console")
    assert page.url.endswith("/console/sign-in")
    page.get_by_label("Account id").fill(account)
    page.get_by_label("Region").fill(region)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/instances")


def create_instance_in_console(page, alias, idm="CONNECT_MANAGED"):
    page.get_by_label("Instance alias").fill(alias)
    page.locator(f"#idm-{idm}").check()
    page.get_by_role("button", name="Create instance").click()
    page.wait_for_url(re.compile(r".*/console/instances/[0-9a-f-]{36}/users$"))
    return page.url.split("/console/instances/")[1].split("/")[0]


def usernames_shown(page):
    return sorted(page.locator("#users tbody tr td:nth-child(2)").all_inner_texts())


def match_count(page):
    return int(page.locator("#match-count strong").inner_text())


def ids_by_name(summaries):
    return {s["Name"]: s["Id"] for s in summaries}


@pytest.fixture(scope="module")
def setup(server, browser):
    """A signed-in page, an instance made through the console and a second routing
    profile, a two-level hierarchy and some users made through the API."""
    page = new_page(browser)
    sign_in(page, server.url)
    iid = create_instance_in_console(page, unique("console"))
    api = make_client(server.url)
    inst = api.describe_instance(InstanceId=iid)["Instance"]
    assert inst["IdentityManagementType"] == "CONNECT_MANAGED"
    sps = ids_by_name(api.list_security_profiles(InstanceId=iid)["SecurityProfileSummaryList"])
    queue = [q for q in api.list_queues(InstanceId=iid, QueueTypes=["STANDARD"])["QueueSummaryList"]][0]
    outbound = api.create_routing_profile(
        InstanceId=iid, Name="Outbound sales", Description="second profile",
        DefaultOutboundQueueId=queue["Id"],
        MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}],
    )["RoutingProfileId"]
    rps = ids_by_name(api.list_routing_profiles(InstanceId=iid)["RoutingProfileSummaryList"])
    api.update_user_hierarchy_structure(
        InstanceId=iid,
        HierarchyStructure={"LevelOne": {"Name": "Region"}, "LevelTwo": {"Name": "Team"}},
    )
    emea = api.create_user_hierarchy_group(InstanceId=iid, Name="EMEA")["HierarchyGroupId"]
    support = api.create_user_hierarchy_group(
        InstanceId=iid, Name="EMEA support", ParentGroupId=emea)["HierarchyGroupId"]

    def make(username, first, last, **extra):
        req = {
            "InstanceId": iid, "Username": username, "Password": "Secret123!",
            "IdentityInfo": {"FirstName": first, "LastName": last},
            "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
            "SecurityProfileIds": [sps["Agent"]],
            "RoutingProfileId": rps["Basic Routing Profile"],
        }
        req.update(extra)
        return api.create_user(**req)["UserId"]

    make("mgarcia", "Maria", "Garcia", HierarchyGroupId=support, Tags={"site": "lisbon"})
    make("jsmith", "John", "Smith", RoutingProfileId=outbound,
         SecurityProfileIds=[sps["Agent"], sps["CallCenterManager"]])
    make("akowalski", "Anna", "Kowalski", HierarchyGroupId=emea)
    return {
        "page": page, "iid": iid, "api": api, "sps": sps, "rps": rps,
        "outbound": outbound, "emea": emea, "support": support,
        "users_url": f"{server.url}/console/instances/{iid}/users",
    }


def test_add_user_through_the_form_is_what_the_api_describes(setup, server):
    page, api, iid = setup["page"], setup["api"], setup["iid"]
    page.goto(setup["users_url"])
    page.get_by_role("link", name="Add user").click()
    page.get_by_label("User login (username)").fill("tnguyen")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("First name").fill("Thu")
    page.get_by_label("Last name").fill("Nguyen")
    page.get_by_label("Email address", exact=True).fill("thu@example.com")
    page.get_by_label("Agent", exact=True).check()
    page.get_by_label("Hierarchy group").select_option(label="EMEA support")
    page.get_by_label("Auto-accept CHAT").check()
    page.get_by_label("After contact work seconds VOICE").fill("30")
    page.get_by_label("Tags, one key=value a line").fill("team=blue")
    page.get_by_role("button", name="Create user").click()
    page.wait_for_url(re.compile(r".*/users/[0-9a-f-]{36}\?created=1$"))
    assert "User created." in page.content()
    uid = page.url.split("/users/")[1].split("?")[0]
    user = api.describe_user(InstanceId=iid, UserId=uid)["User"]
    assert user["Username"] == "tnguyen"
    assert user["IdentityInfo"]["Email"] == "thu@example.com"
    assert user["SecurityProfileIds"] == [setup["sps"]["Agent"]]
    assert user["Tags"] == {"team": "blue"}
    assert user["HierarchyGroupId"] == setup["support"]
    aa = {c["Channel"]: c["AutoAccept"] for c in user["AutoAcceptConfigs"]}
    assert aa["CHAT"] is True and aa["VOICE"] is False
    acw = {c["Channel"]: c["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
           for c in user["AfterContactWorkConfigs"]}
    assert acw["VOICE"] == 30
    setup["tnguyen"] = uid

    # The password typed never comes back: not in any page, not in the server log.
    for body in page.seen.bodies:
        assert PASSWORD not in body
    assert PASSWORD not in open(server.log_path, errors="replace").read()


def test_add_user_refused_shows_the_api_message_beside_the_field(setup):
    page, api, iid = setup["page"], setup["api"], setup["iid"]
    before = api.search_users(InstanceId=iid)["ApproximateTotalCount"]
    page.goto(setup["users_url"] + "/new")
    page.get_by_label("User login (username)").fill("weakpw")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("First name").fill("Weak")
    page.get_by_label("Last name").fill("Password")
    page.get_by_label("Agent", exact=True).check()
    page.get_by_role("button", name="Create user").click()
    err = page.locator("#err-Password")
    assert err.count() == 1 and "Password" in err.inner_text()
    # The form keeps what was typed, except the password.
    assert page.get_by_label("User login (username)").input_value() == "weakpw"
    assert page.get_by_label("Password", exact=True).input_value() == ""
    assert "short" not in page.content().replace("shortcut", "")
    assert api.search_users(InstanceId=iid)["ApproximateTotalCount"] == before


def test_search_box_and_every_filter(setup):
    page = setup["page"]
    url = setup["users_url"]
    page.goto(url)
    assert match_count(page) >= 3
    page.screenshot(path=str(SHOTS / "users.png"), full_page=True)

    # Starts with, on username, first or last name.
    page.get_by_label("Username, first or last name").fill("Gar")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["mgarcia"] and match_count(page) == 1
    page.get_by_label("Username, first or last name").fill("ana")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == []  # nobody's name starts with "ana"
    page.get_by_label("Match").select_option("CONTAINS")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == []  # "Anna" has no "ana"
    page.get_by_label("Username, first or last name").fill("nn")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["akowalski"]

    def only(**query):
        page.goto(url + "?" + urllib.parse.urlencode(query))
        return usernames_shown(page)

    # Each filter through its control.
    page.goto(url)
    page.get_by_label("Routing profile").select_option(label="Outbound sales")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["jsmith"]
    page.goto(url)
    page.get_by_label("Security profile").select_option(label="CallCenterManager")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["jsmith"]
    page.goto(url)
    page.get_by_label("Hierarchy group (with its children)").select_option(label="EMEA")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["akowalski", "mgarcia", "tnguyen"]
    assert only(group=setup["support"]) == ["mgarcia", "tnguyen"]
    page.goto(url)
    page.get_by_label("Tag key").fill("site")
    page.get_by_label("Tag value (empty: any)").fill("lisbon")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["mgarcia"]
    assert only(tag_key="team") == ["tnguyen"]
    # The user added through the form, found by the box and by each filter.
    assert only(q="Nguy") == ["tnguyen"]
    assert only(q="guy", how="CONTAINS") == ["tnguyen"]
    assert "tnguyen" in only(routing=setup["rps"]["Basic Routing Profile"])
    assert "tnguyen" not in only(routing=setup["outbound"])
    assert "tnguyen" in only(security=setup["sps"]["Agent"])
    assert "tnguyen" in only(group=setup["emea"])
    assert only(tag_key="team", tag_value="blue", q="t") == ["tnguyen"]
    assert only(tag_key="team", tag_value="red") == []
    # The columns: names, not ids.
    page.goto(url + "?q=jsmith")
    row = page.locator("#users tbody tr").first.inner_text()
    assert "Outbound sales" in row and "CallCenterManager" in row and "Agent" in row
    page.goto(url + "?q=mgarcia")
    assert "EMEA support" in page.locator("#users tbody tr").first.inner_text()


def test_a_per_channel_setting_saved_is_what_describe_user_shows(setup):
    page, api, iid = setup["page"], setup["api"], setup["iid"]
    uid = setup["tnguyen"]
    page.goto(f"{setup['users_url']}/{uid}")
    page.get_by_label("Auto-accept TASK").check()
    page.get_by_label("After contact work seconds CHAT").fill("45")
    page.get_by_label("Phone type").select_option("DESK_PHONE")
    page.get_by_label("Desk phone number").fill("+15555550123")
    page.get_by_label("Voice enhancement").select_option("NOISE_SUPPRESSION")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*\?saved=1$"))
    user = api.describe_user(InstanceId=iid, UserId=uid)["User"]
    aa = {c["Channel"]: c["AutoAccept"] for c in user["AutoAcceptConfigs"]}
    acw = {c["Channel"]: c["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
           for c in user["AfterContactWorkConfigs"]}
    assert aa["TASK"] is True and aa["CHAT"] is True
    assert acw["CHAT"] == 45 and acw["VOICE"] == 30
    assert user["PhoneConfig"]["PhoneType"] == "DESK_PHONE"
    assert user["PhoneConfig"]["DeskPhoneNumber"] == "+15555550123"
    assert user["VoiceEnhancementConfigs"] == [
        {"Channel": "VOICE", "VoiceEnhancementMode": "NOISE_SUPPRESSION"}]
    page.screenshot(path=str(SHOTS / "user.png"), full_page=True)

    # A refused value: the API's message beside the channel table, nothing saved.
    page.get_by_label("After contact work seconds EMAIL").fill("-5")
    page.get_by_label("First name").fill("Changed")
    page.get_by_role("button", name="Save").click()
    msg = page.locator("#channels .error").inner_text()
    assert "AfterContactWorkConfigs[3]" in msg and "AfterContactWorkTimeLimit" in msg
    after = api.describe_user(InstanceId=iid, UserId=uid)["User"]
    assert after["IdentityInfo"]["FirstName"] == "Thu"
    assert after == user

    # A routing profile that does not exist (sent past the form's list): the store
    # refuses it inside the one edit, so the name change in the same save is not
    # written either.
    page.goto(f"{setup['users_url']}/{uid}")
    token = page.locator("form[action$='" + uid + "'] input[name=csrf]").input_value()
    r = page.request.post(f"{setup['users_url']}/{uid}", form={
        "csrf": token, "first_name": "Changed", "last_name": "Nguyen",
        "security": setup["sps"]["Agent"], "routing": "00000000-0000-4000-8000-000000000000",
        "phone_type": "SOFT_PHONE", "voice_enhancement": "NONE"})
    assert r.status == 400
    assert "00000000-0000-4000-8000-000000000000" in r.text()
    assert api.describe_user(InstanceId=iid, UserId=uid)["User"] == user


def test_proficiencies_added_and_removed(setup):
    page, api, iid, uid = setup["page"], setup["api"], setup["iid"], setup["tnguyen"]
    api.create_predefined_attribute(InstanceId=iid, Name="Language",
                                    Values={"StringList": ["French", "German"]})
    page.goto(f"{setup['users_url']}/{uid}")
    page.get_by_label("Attribute name").fill("Language")
    page.get_by_label("Attribute value").fill("French")
    page.get_by_label("Level (1–5)").fill("3")
    page.get_by_role("button", name="Add proficiency").click()
    assert "Proficiencies saved." in page.content()
    listed = api.list_user_proficiencies(InstanceId=iid, UserId=uid)["UserProficiencyList"]
    assert listed == [{"AttributeName": "Language", "AttributeValue": "French", "Level": 3.0}]
    page.get_by_label("Attribute name").fill("Language")
    page.get_by_label("Attribute value").fill("Klingon")
    page.get_by_role("button", name="Add proficiency").click()
    assert "Klingon" in page.locator("#err-UserProficiencies").inner_text()
    page.get_by_role("button", name="Remove Language French").click()
    assert api.list_user_proficiencies(InstanceId=iid, UserId=uid)["UserProficiencyList"] == []


def test_reading_pages_work_without_javascript(setup, server, browser):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    sign_in(page, server.url)
    page.goto(setup["users_url"] + "?q=mgar")
    assert usernames_shown(page) == ["mgarcia"]
    page.get_by_role("link", name="mgarcia").click()
    assert page.get_by_label("First name").input_value() == "Maria"
    page.goto(setup["users_url"])
    page.get_by_label("Tag key").fill("site")
    page.get_by_role("button", name="Search").click()
    assert usernames_shown(page) == ["mgarcia"]
    ctx.close()


def test_password_reset_for_a_connect_managed_user(setup, server):
    page = setup["page"]
    page.goto(f"{setup['users_url']}/{setup['tnguyen']}")
    page.get_by_label("New password").fill("Reset-Pass-99q")
    page.get_by_role("button", name="Reset password").click()
    assert "Password changed." in page.content()
    assert "Reset-Pass-99q" not in page.content()
    page.get_by_label("New password").fill("weak")
    page.get_by_role("button", name="Reset password").click()
    assert page.locator("#err-Password").count() == 1
    assert "Reset-Pass-99q" not in open(server.log_path, errors="replace").read()


def test_bulk_edit_of_20_users_applies_to_each_whole(setup):
    page, api, iid, sps = setup["page"], setup["api"], setup["iid"], setup["sps"]
    ids = []
    for n in range(20):
        ids.append(api.create_user(
            InstanceId=iid, Username=f"bulk{n:02d}", Password="Secret123!",
            IdentityInfo={"FirstName": "Bulk", "LastName": f"User{n}"},
            PhoneConfig={"PhoneType": "SOFT_PHONE"},
            SecurityProfileIds=[sps["Agent"]],
            RoutingProfileId=setup["rps"]["Basic Routing Profile"],
            Tags={"cohort": "2026"},
        )["UserId"])
    page.goto(setup["users_url"] + "?tag_key=cohort&tag_value=2026")
    assert match_count(page) == 20
    page.get_by_role("button", name="Edit all 20 matches").click()
    assert "Edit 20 users" in page.content()
    page.get_by_label("Replace the security profiles").check()
    page.get_by_label("QualityAnalyst", exact=True).check()
    page.get_by_label("Agent", exact=True).check()
    page.get_by_label("Routing profile").select_option(label="Outbound sales")
    page.get_by_label("Hierarchy group").select_option(label="EMEA support")
    page.get_by_label("Auto-accept CHAT").select_option("on")
    page.get_by_label("After contact work seconds TASK").fill("60")
    page.get_by_label("Add or overwrite tags").fill("wave=2")
    page.get_by_role("button", name="Apply to 20 users").click()
    assert page.locator("#bulk-summary").inner_text() == "20 of 20 users changed."
    for uid in ids:
        u = api.describe_user(InstanceId=iid, UserId=uid)["User"]
        assert sorted(u["SecurityProfileIds"]) == sorted([sps["QualityAnalyst"], sps["Agent"]])
        assert u["RoutingProfileId"] == setup["outbound"]
        assert u["HierarchyGroupId"] == setup["support"]
        assert {c["Channel"]: c["AutoAccept"] for c in u["AutoAcceptConfigs"]}["CHAT"] is True
        assert {c["Channel"]: c["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"]
                for c in u["AfterContactWorkConfigs"]}["TASK"] == 60
        assert u["Tags"] == {"cohort": "2026", "wave": "2"}

    # Selected users only, with a change one part of which each user refuses (a desk
    # phone with no number): nobody gets any part of it.
    page.goto(setup["users_url"] + "?tag_key=cohort&q=bulk0")
    boxes = page.locator("#users tbody input[type=checkbox]")
    assert boxes.count() == 10
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_role("button", name="Edit selected users").click()
    assert "Edit 3 users" in page.content()
    page.get_by_label("Routing profile").select_option(label="Basic Routing Profile")
    page.get_by_label("Phone type").select_option("DESK_PHONE")
    page.get_by_role("button", name="Apply to 3 users").click()
    assert page.locator("#bulk-summary").inner_text() == "0 of 3 users changed."
    results = page.locator("#bulk-results tbody tr").all_inner_texts()
    assert len(results) == 3 and all("Not changed" in r and "DESK_PHONE" in r for r in results)
    for uid in ids[:3]:
        u = api.describe_user(InstanceId=iid, UserId=uid)["User"]
        assert u["RoutingProfileId"] == setup["outbound"]
        assert u["PhoneConfig"]["PhoneType"] == "SOFT_PHONE"


def test_delete_with_confirmation(setup):
    page, api, iid = setup["page"], setup["api"], setup["iid"]
    uid = api.search_users(
        InstanceId=iid,
        SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "akowalski",
                                            "ComparisonType": "EXACT"}},
    )["Users"][0]["Id"]
    page.goto(f"{setup['users_url']}/{uid}")
    page.get_by_role("link", name="Delete this user…").click()
    page.get_by_role("button", name="Delete akowalski").click()
    page.wait_for_url(setup["users_url"])
    with pytest.raises(Exception) as exc:
        api.describe_user(InstanceId=iid, UserId=uid)
    assert "ResourceNotFoundException" in str(exc.value)


def test_a_post_without_its_csrf_token_is_403_and_changes_nothing(setup):
    page, api, iid = setup["page"], setup["api"], setup["iid"]
    uid = setup["tnguyen"]
    before_instances = len(api.list_instances()["InstanceSummaryList"])
    before_user = api.describe_user(InstanceId=iid, UserId=uid)["User"]
    base = setup["users_url"].rsplit("/users", 1)[0].rsplit("/instances", 1)[0]
    # The browser's own session cookie goes with these requests; only the token is
    # missing or wrong.
    r = page.request.post(f"{base}/instances",
                          form={"instance_alias": "forged", "identity_management_type": "SAML"})
    assert r.status == 403
    r = page.request.post(f"{setup['users_url']}/{uid}",
                          form={"first_name": "Forged", "last_name": "X", "csrf": "0" * 64})
    assert r.status == 403
    r = page.request.post(f"{setup['users_url']}/{uid}/delete", form={})
    assert r.status == 403
    assert len(api.list_instances()["InstanceSummaryList"]) == before_instances
    assert api.describe_user(InstanceId=iid, UserId=uid)["User"] == before_user


def test_another_accounts_instance_is_not_listed_and_its_urls_are_404(setup, server, browser):
    other = make_client(server.url, access_key="222222222222")
    theirs = other.create_instance(IdentityManagementType="SAML", InstanceAlias=unique("theirs"),
                                   InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
    page = setup["page"]
    page.goto(f"{server.url}/console/instances")
    assert theirs not in page.content()
    for path in ["", "/users", "/users/new", f"/users/{setup['tnguyen']}"]:
        r = page.goto(f"{server.url}/console/instances/{theirs}{path}")
        assert r.status == 404, path
    r = page.request.post(f"{server.url}/console/instances/{theirs}/users/new",
                          form={"csrf": "x"})
    assert r.status == 403
    # Another Region of the same account does not see it either.
    mine = new_page(browser)
    sign_in(mine, server.url, account="222222222222", region="eu-west-2")
    assert theirs not in mine.content()
    assert mine.goto(f"{server.url}/console/instances/{theirs}/users").status == 404
    mine.context.close()
    # The right account and Region does.
    mine = new_page(browser)
    sign_in(mine, server.url, account="222222222222", region="us-east-1")
    assert theirs in mine.content()
    assert mine.goto(f"{server.url}/console/instances/{theirs}/users").status == 200
    mine.context.close()


def test_sign_out_ends_the_session(server, browser):
    page = new_page(browser)
    sign_in(page, server.url)
    cookies = page.context.cookies()
    session = [c for c in cookies if c["name"] == "roster_console"][0]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and session["path"] == "/console"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/console/sign-in")
    page.goto(f"{server.url}/console/instances")
    assert page.url.endswith("/console/sign-in")
    # The old cookie, sent again, names no session.
    page.context.add_cookies([session])
    page.goto(f"{server.url}/console/instances")
    assert page.url.endswith("/console/sign-in")
    page.context.close()


UNLABELLED = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea'))
    .filter(e => !e.labels || e.labels.length === 0 || !e.labels[0].innerText.trim())
    .map(e => e.name || e.id)"""


def test_every_input_has_a_label_and_nothing_breaks_the_page_policy(setup, server, browser):
    page = new_page(browser)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/console/sign-in")
    assert page.evaluate(UNLABELLED) == []
    sign_in(page, server.url)
    uid = setup["tnguyen"]
    for path in ["/console/instances", setup["users_url"], setup["users_url"] + "/new",
                 f"{setup['users_url']}/{uid}", f"{setup['users_url']}/{uid}/delete",
                 setup["users_url"].replace("/users", "/upload")]:
        page.goto(path if path.startswith("http") else server.url + path)
        assert page.evaluate(UNLABELLED) == [], path
    page.goto(setup["users_url"])
    page.locator("#users tbody input[type=checkbox]").first.check()
    page.get_by_role("button", name="Edit selected users").click()
    assert "Edit 1 users" in page.content()
    assert page.evaluate(UNLABELLED) == []
    assert problems == [], problems
    page.context.close()


def test_narrow_screen_and_keyboard(setup, server, browser):
    page = new_page(browser, 390, 844)
    page.goto(f"{server.url}/console/sign-in")
    page.get_by_label("Account id").focus()
    page.keyboard.press("Tab")  # to the Region field, its text selected
    page.keyboard.type("us-east-1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/instances")
    page.goto(setup["users_url"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the Users page is {width}px wide on a 390px screen"
    page.screenshot(path=str(SHOTS / "users-narrow.png"), full_page=True)
    page.context.close()


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("console-strict")
    creds = base / "credentials.toml"
    creds.write_text(
        '[[credentials]]\naccess_key_id = "AKIACONSOLE1"\n'
        'secret_access_key = "right-secret-1"\naccount_id = "111111111111"\n'
    )
    s = RosterServer(base / "data", base / "roster.log",
                     extra_args=["--auth", "strict", "--credentials", str(creds)])
    s.start()
    yield s
    assert s.stop() == 0, s.log_tail()


def test_strict_mode_a_wrong_secret_cannot_sign_in(strict_server, browser):
    page = new_page(browser)
    url = strict_server.url
    page.goto(f"{url}/console/instances")
    assert page.url.endswith("/console/sign-in")
    for akid, secret in [("AKIACONSOLE1", "wrong-secret"), ("AKIAUNKNOWN", "right-secret-1"),
                         ("AKIACONSOLE1", "right-secret-")]:
        page.get_by_label("Access key id").fill(akid)
        page.get_by_label("Secret access key").fill(secret)
        page.get_by_role("button", name="Sign in").click()
        assert page.url.endswith("/console/sign-in")
        assert "do not match" in page.content()
        assert not [c for c in page.context.cookies() if c["name"] == "roster_console"]
        page.goto(f"{url}/console/instances")
        assert page.url.endswith("/console/sign-in")
    # An empty secret, which the form's `required` keeps the browser from sending, sent
    # anyway with the form's token.
    token = page.locator("input[name=csrf]").input_value()
    r = page.request.post(f"{url}/console/sign-in", form={
        "csrf": token, "access_key_id": "AKIACONSOLE1", "secret": "", "region": "us-east-1"},
        max_redirects=0)
    assert r.status == 401
    assert not [c for c in page.context.cookies() if c["name"] == "roster_console"]
    page.get_by_label("Access key id").fill("AKIACONSOLE1")
    page.get_by_label("Secret access key").fill("right-secret-1")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/instances")
    assert "Account 111111111111" in page.content()
    for body in page.seen.bodies:
        assert "right-secret-1" not in body and "wrong-secret" not in body
    assert "right-secret-1" not in open(strict_server.log_path, errors="replace").read()
    page.context.close()


# ---- CSV upload and download -------------------------------------------------------

HEADER = ("first name,last name,email address,secondary email address,mobile,password,"
          "user login,routing profile name,security_profile_name_1|security_profile_name_2,"
          "phone type (soft/desk),phone number,soft phone auto accept (yes/no),"
          "ACW timeout (seconds)")


def csv_rows(rows):
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def upload(page, users_url, name, data):
    page.goto(users_url)
    page.get_by_role("link", name="Upload users (CSV)").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/upload/[0-9a-f]{32}$"))
    # The job page refreshes itself until the result is there.
    page.locator("#upload-result").wait_for(timeout=120_000)
    return page.locator("#upload-result").inner_text()


@pytest.fixture(scope="module")
def saml(server, setup):
    api = setup["api"]
    iid = api.create_instance(IdentityManagementType="SAML", InstanceAlias=unique("csv"),
                              InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
    return {"iid": iid, "users_url": f"{server.url}/console/instances/{iid}/users"}


def count(api, iid):
    return api.search_users(InstanceId=iid)["ApproximateTotalCount"]


def test_the_template_links_download_the_headers(setup, saml):
    page = setup["page"]
    page.goto(saml["users_url"].replace("/users", "/upload"))
    with page.expect_download() as d:
        page.get_by_role("link", name="Download the template").click()
    text = open(d.value.path()).read().strip()
    assert text.replace('"', "") == HEADER
    with page.expect_download() as d:
        page.get_by_role("link", name="Download the extended template").click()
    assert open(d.value.path()).read().strip().endswith("hierarchy group path,tags")


def test_an_upload_with_three_bad_rows_lists_all_three_and_creates_nobody(setup, saml):
    page, api = setup["page"], setup["api"]
    rows = [f"Good,Row{n},,,,,good{n},Basic Routing Profile,Agent,soft,,no,0" for n in range(5)]
    rows[1] = "Bad,Routing,,,,,bad1,No Such Profile,Agent,soft,,no,0"
    rows[3] = "Bad,Acw,,,,,bad3,Basic Routing Profile,Agent,soft,,no,-7"
    rows.append("Dup,Login,,,,,good0,Basic Routing Profile,Agent,soft,,no,0")
    result = upload(page, saml["users_url"], "bad.csv", csv_rows(rows))
    assert "3 errors: nothing was imported" in result
    errors = page.locator("#upload-errors tbody tr").all_inner_texts()
    assert len(errors) == 3, errors
    assert errors[0].startswith("2\trouting profile name")
    assert errors[1].startswith("4\tACW timeout (seconds)")
    assert errors[2].startswith("6\tuser login")
    page.screenshot(path=str(SHOTS / "upload-errors.png"), full_page=True)
    assert count(api, saml["iid"]) == 0


def test_an_upload_of_1000_rows_creates_them_all(setup, saml):
    page, api = setup["page"], setup["api"]
    rows = [f"First{n},Last{n},u{n}@example.com,,,,csv{n:04d},Basic Routing Profile,"
            f"Agent|QualityAnalyst,soft,,{'yes' if n % 2 else 'no'},{n % 60}"
            for n in range(1000)]
    result = upload(page, saml["users_url"], "thousand.csv", csv_rows(rows))
    assert result.startswith("1000 users created"), result
    assert count(api, saml["iid"]) == 1000
    found = api.search_users(
        InstanceId=saml["iid"],
        SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "csv0999",
                                            "ComparisonType": "EXACT"}})["Users"][0]
    assert found["IdentityInfo"] == {"FirstName": "First999", "LastName": "Last999"}
    assert len(found["SecurityProfileIds"]) == 2

    # The Users page: 100 a page, the match count, paging both ways.
    page.goto(saml["users_url"])
    assert match_count(page) == 1000
    first = usernames_shown(page)
    assert first == [f"csv{n:04d}" for n in range(100)]
    page.get_by_role("link", name="Next 100").click()
    assert usernames_shown(page) == [f"csv{n:04d}" for n in range(100, 200)]
    assert "showing 101–200" in page.locator("#match-count").inner_text()
    page.get_by_role("link", name="Next 100").click()
    page.get_by_role("link", name="Previous 100").click()
    assert usernames_shown(page) == [f"csv{n:04d}" for n in range(100, 200)]
    page.get_by_role("link", name="Previous 100").click()
    assert usernames_shown(page) == first
    assert page.get_by_role("link", name="Previous 100").count() == 0


def test_download_and_upload_into_a_second_instance_gives_the_same_users(setup, server):
    page, api, iid = setup["page"], setup["api"], setup["iid"]
    # The users of the first instance (CONNECT_MANAGED, made above) whose groups exist
    # in both: download the matches of a search, upload them into a SAML instance with
    # the same profile and group names.
    page.goto(setup["users_url"] + "?tag_key=cohort&tag_value=2026")
    assert match_count(page) == 20
    with page.expect_download() as d:
        page.get_by_role("link", name=re.compile(r"Download 20 matching users")).click()
    data = open(d.value.path(), "rb").read()
    assert PASSWORD.encode() not in data and b"Secret123!" not in data
    lines = data.decode().strip().splitlines()
    assert len(lines) == 21 and lines[0].endswith("hierarchy group path,tags,user id")

    second = api.create_instance(IdentityManagementType="SAML", InstanceAlias=unique("copy"),
                                 InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
    queue = api.list_queues(InstanceId=second, QueueTypes=["STANDARD"])["QueueSummaryList"][0]
    api.create_routing_profile(
        InstanceId=second, Name="Outbound sales", Description="second profile",
        DefaultOutboundQueueId=queue["Id"],
        MediaConcurrencies=[{"Channel": "VOICE", "Concurrency": 1}])
    api.update_user_hierarchy_structure(
        InstanceId=second,
        HierarchyStructure={"LevelOne": {"Name": "Region"}, "LevelTwo": {"Name": "Team"}})
    top = api.create_user_hierarchy_group(InstanceId=second, Name="EMEA")["HierarchyGroupId"]
    api.create_user_hierarchy_group(InstanceId=second, Name="EMEA support", ParentGroupId=top)
    result = upload(page, f"{server.url}/console/instances/{second}/users", "copy.csv", data)
    assert result.startswith("20 users created"), result

    def view(instance):
        names = {
            "rp": ids_by_name(api.list_routing_profiles(InstanceId=instance)["RoutingProfileSummaryList"]),
            "sp": ids_by_name(api.list_security_profiles(InstanceId=instance)["SecurityProfileSummaryList"]),
            "hg": ids_by_name(api.list_user_hierarchy_groups(InstanceId=instance)["UserHierarchyGroupSummaryList"]),
        }
        back = {k: {v: n for n, v in m.items()} for k, m in names.items()}
        users = api.search_users(
            InstanceId=instance, SearchFilter={"TagFilter": {"TagCondition": {
                "TagKey": "cohort", "TagValue": "2026"}}})["Users"]
        out = {}
        for u in users:
            d = api.describe_user(InstanceId=instance, UserId=u["Id"])["User"]
            out[d["Username"]] = {
                "identity": d["IdentityInfo"],
                "routing": back["rp"][d["RoutingProfileId"]],
                "security": sorted(back["sp"][i] for i in d["SecurityProfileIds"]),
                "group": back["hg"].get(d.get("HierarchyGroupId")),
                "phone": d["PhoneConfig"],
                "tags": d["Tags"],
            }
        return out

    original, copy = view(iid), view(second)
    assert len(original) == 20
    assert copy == original


def test_a_connect_managed_upload_shows_its_progress_and_no_password(setup, server):
    page, api = setup["page"], setup["api"]
    iid = api.create_instance(IdentityManagementType="CONNECT_MANAGED",
                              InstanceAlias=unique("csvpw"),
                              InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
    secret = "Csv-Pass-4242z"
    rows = [f"First{n},Last{n},,,,{secret},pw{n:03d},Basic Routing Profile,Agent,soft,,no,0"
            for n in range(150)]
    before = len(page.seen.bodies)
    result = upload(page, f"{server.url}/console/instances/{iid}/users", "pw.csv",
                    csv_rows(rows))
    assert result.startswith("150 users created"), result
    shown = page.seen.bodies[before:]
    # While 150 passwords were hashed, the page showed a progress bar.
    assert any("<progress" in b for b in shown)
    assert all(secret not in b for b in page.seen.bodies)
    assert secret not in open(server.log_path, errors="replace").read()
    assert count(api, iid) == 150
