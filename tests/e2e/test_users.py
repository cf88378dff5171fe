"""Users through boto3 and through the AWS CLI, in the order Terraform's
aws_connect_user and its neighbours drive them, plus validation errors."""

import datetime
import json

import pytest
from botocore.exceptions import ClientError

from helpers import CHANNELS, UUID_RE, error_of, unique

PASSWORD = "Secret123"


# ---------------------------------------------------------------- helpers


def by_name(summaries, name):
    found = [s for s in summaries if s.get("Name") == name]
    assert len(found) == 1, f"expected exactly one {name!r} in {summaries!r}"
    return found[0]


def per_channel(entries, what):
    """{channel: entry} of a per-channel list, checking no channel repeats."""
    channels = [e["Channel"] for e in entries]
    assert len(channels) == len(set(channels)), f"{what} repeats a channel: {entries!r}"
    return {e["Channel"]: e for e in entries}


def acw_by_channel(user):
    cfgs = per_channel(user["AfterContactWorkConfigs"], "AfterContactWorkConfigs")
    return {ch: c["AfterContactWorkConfig"]["AfterContactWorkTimeLimit"] for ch, c in cfgs.items()}


def auto_accept_by_channel(user):
    cfgs = per_channel(user["AutoAcceptConfigs"], "AutoAcceptConfigs")
    return {ch: c["AutoAccept"] for ch, c in cfgs.items()}


def check_lists(user, *, auto_accept, acw, phone, persistent, enhancement):
    """The five per-channel lists of a DescribeUser answer.

    phone: (PhoneType, PhoneNumber or None) of VOICE."""
    for member in ("AutoAcceptConfigs", "AfterContactWorkConfigs", "PhoneNumberConfigs",
                   "PersistentConnectionConfigs", "VoiceEnhancementConfigs"):
        assert member in user, f"DescribeUser should return {member}; got {sorted(user)}"
    assert auto_accept_by_channel(user) == auto_accept, user["AutoAcceptConfigs"]
    assert acw_by_channel(user) == acw, user["AfterContactWorkConfigs"]
    phones = per_channel(user["PhoneNumberConfigs"], "PhoneNumberConfigs")
    assert set(phones) == {"VOICE"}, user["PhoneNumberConfigs"]
    assert phones["VOICE"]["PhoneType"] == phone[0], user["PhoneNumberConfigs"]
    assert phones["VOICE"].get("PhoneNumber") == phone[1], user["PhoneNumberConfigs"]
    conns = per_channel(user["PersistentConnectionConfigs"], "PersistentConnectionConfigs")
    assert {ch: c["PersistentConnection"] for ch, c in conns.items()} == {"VOICE": persistent}
    enh = per_channel(user["VoiceEnhancementConfigs"], "VoiceEnhancementConfigs")
    assert {ch: c["VoiceEnhancementMode"] for ch, c in enh.items()} == {"VOICE": enhancement}


def check_phone_config(user, **expected):
    got = user.get("PhoneConfig")
    assert got == expected, f"PhoneConfig: expected {expected!r}, got {got!r}"


def assert_error(excinfo, code, status, *, mentions=()):
    got_code, got_status, message = error_of(excinfo)
    assert (got_code, got_status) == (code, status), (
        f"expected {code} {status}, got {got_code} {got_status}: {message!r}"
    )
    assert message, "the error should carry a message"
    for word in mentions:
        assert word in message, f"the message should mention {word!r}: {message!r}"
    return message


def hierarchy_structure():
    return {"LevelOne": {"Name": "Region"}, "LevelTwo": {"Name": "Team"}}


def routing_profile_request(queue_id):
    return {
        "Name": "e2e-outbound",
        "Description": "routing profile made by the e2e checks",
        "DefaultOutboundQueueId": queue_id,
        "MediaConcurrencies": [
            {"Channel": "VOICE", "Concurrency": 1},
            {"Channel": "CHAT", "Concurrency": 2},
        ],
        "QueueConfigs": [
            {"QueueReference": {"QueueId": queue_id, "Channel": "VOICE"},
             "Priority": 1, "Delay": 0},
        ],
    }


CONFIG_UPDATE = {
    "AutoAcceptConfigs": [{"Channel": "CHAT", "AutoAccept": True}],
    "AfterContactWorkConfigs": [
        {"Channel": "TASK", "AfterContactWorkConfig": {"AfterContactWorkTimeLimit": 120}},
    ],
    "PhoneNumberConfigs": [{"Channel": "VOICE", "PhoneType": "SOFT_PHONE"}],
    "PersistentConnectionConfigs": [{"Channel": "VOICE", "PersistentConnection": True}],
    "VoiceEnhancementConfigs": [{"Channel": "VOICE", "VoiceEnhancementMode": "VOICE_ISOLATION"}],
}


def check_after_config_update(user):
    """State after CreateUser (PhoneConfig ACW 30), UpdateUserPhoneConfig (DESK_PHONE,
    AutoAccept true, ACW 60) and UpdateUserConfig(CONFIG_UPDATE)."""
    check_lists(
        user,
        auto_accept={"VOICE": True, "CHAT": True, "TASK": False, "EMAIL": False},
        acw={"VOICE": 60, "CHAT": 60, "TASK": 120, "EMAIL": 60},
        phone=("SOFT_PHONE", None),
        persistent=True,
        enhancement="VOICE_ISOLATION",
    )
    check_phone_config(user, PhoneType="SOFT_PHONE", AutoAccept=True,
                       AfterContactWorkTimeLimit=60, PersistentConnection=True)


# ---------------------------------------------------------------- boto3


def test_user_lifecycle_boto3(connect):
    c = connect
    inst = c.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias=unique("e2e-users"),
        InboundCallsEnabled=True, OutboundCallsEnabled=True,
    )
    iid, iarn = inst["Id"], inst["Arn"]

    # A two-level hierarchy and its groups.
    assert c.describe_user_hierarchy_structure(InstanceId=iid)["HierarchyStructure"] == {}, (
        "a new instance's hierarchy structure should have no levels"
    )
    c.update_user_hierarchy_structure(InstanceId=iid, HierarchyStructure=hierarchy_structure())
    levels = c.describe_user_hierarchy_structure(InstanceId=iid)["HierarchyStructure"]
    assert levels["LevelOne"]["Id"] == "1" and levels["LevelOne"]["Name"] == "Region", levels
    assert levels["LevelTwo"]["Id"] == "2" and levels["LevelTwo"]["Name"] == "Team", levels
    assert "LevelThree" not in levels, levels
    top = c.create_user_hierarchy_group(InstanceId=iid, Name="emea")
    team = c.create_user_hierarchy_group(InstanceId=iid, Name="emea-support",
                                         ParentGroupId=top["HierarchyGroupId"])
    top_id, team_id = top["HierarchyGroupId"], team["HierarchyGroupId"]
    assert top["HierarchyGroupArn"] == f"{iarn}/agent-group/{top_id}"
    group = c.describe_user_hierarchy_group(InstanceId=iid, HierarchyGroupId=team_id)
    group = group["HierarchyGroup"]
    assert group["LevelId"] == "2", group
    assert group["HierarchyPath"]["LevelOne"]["Id"] == top_id, group["HierarchyPath"]
    assert group["HierarchyPath"]["LevelTwo"]["Id"] == team_id, group["HierarchyPath"]

    # Two extra security profiles, and the defaults.
    sp1 = c.create_security_profile(InstanceId=iid, SecurityProfileName="e2e-supervisors",
                                    Description="supervisors")["SecurityProfileId"]
    sp2 = c.create_security_profile(InstanceId=iid, SecurityProfileName="e2e-auditors",
                                    Description="auditors")["SecurityProfileId"]
    sps = c.list_security_profiles(InstanceId=iid)["SecurityProfileSummaryList"]
    agent = by_name(sps, "Agent")["Id"]
    assert {sp1, sp2} <= {s["Id"] for s in sps}
    basic_rp = by_name(c.list_routing_profiles(InstanceId=iid)["RoutingProfileSummaryList"],
                       "Basic Routing Profile")["Id"]
    queue = by_name(c.list_queues(InstanceId=iid)["QueueSummaryList"], "BasicQueue")["Id"]

    # CreateUser.
    created = c.create_user(
        InstanceId=iid,
        Username="jdoe",
        Password=PASSWORD,
        IdentityInfo={"FirstName": "Jane", "LastName": "Doe", "Email": "jane.doe@example.com"},
        PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False,
                     "AfterContactWorkTimeLimit": 30},
        SecurityProfileIds=[agent],
        RoutingProfileId=basic_rp,
        HierarchyGroupId=top_id,
        Tags={"team": "blue"},
    )
    uid = created["UserId"]
    assert UUID_RE.match(uid), f"user id {uid!r} is not a lowercase UUID v4"
    assert created["UserArn"] == f"{iarn}/agent/{uid}"

    # DescribeUser.
    user = c.describe_user(InstanceId=iid, UserId=uid)["User"]
    assert user["Id"] == uid and user["Arn"] == created["UserArn"]
    assert user["Username"] == "jdoe"
    assert "Password" not in user
    assert user["IdentityInfo"] == {"FirstName": "Jane", "LastName": "Doe",
                                    "Email": "jane.doe@example.com"}
    assert user["SecurityProfileIds"] == [agent]
    assert user["RoutingProfileId"] == basic_rp
    assert user["HierarchyGroupId"] == top_id
    assert user["Tags"] == {"team": "blue"}
    assert user["LastModifiedRegion"] == "us-east-1"
    assert isinstance(user["LastModifiedTime"], datetime.datetime)
    check_phone_config(user, PhoneType="SOFT_PHONE", AutoAccept=False,
                       AfterContactWorkTimeLimit=30, PersistentConnection=False)
    check_lists(user, auto_accept=dict.fromkeys(CHANNELS, False), acw=dict.fromkeys(CHANNELS, 30),
                phone=("SOFT_PHONE", None), persistent=False, enhancement="NONE")
    voice_aa = per_channel(user["AutoAcceptConfigs"], "AutoAcceptConfigs")["VOICE"]
    assert voice_aa.get("AgentFirstCallbackAutoAccept") is False, voice_aa
    # The user is found by ID and by ARN of its instance.
    assert c.describe_user(InstanceId=iarn, UserId=uid)["User"]["Id"] == uid

    # UpdateUserHierarchy.
    c.update_user_hierarchy(InstanceId=iid, UserId=uid, HierarchyGroupId=team_id)
    assert c.describe_user(InstanceId=iid, UserId=uid)["User"]["HierarchyGroupId"] == team_id

    # UpdateUserIdentityInfo replaces the whole identity.
    c.update_user_identity_info(InstanceId=iid, UserId=uid, IdentityInfo={
        "FirstName": "Janet", "LastName": "Doe-Smith", "Mobile": "+14155550100"})
    user = c.describe_user(InstanceId=iid, UserId=uid)["User"]
    assert user["IdentityInfo"] == {"FirstName": "Janet", "LastName": "Doe-Smith",
                                    "Mobile": "+14155550100"}, user["IdentityInfo"]

    # UpdateUserPhoneConfig: AutoAccept on VOICE only, ACW on every channel.
    c.update_user_phone_config(InstanceId=iid, UserId=uid, PhoneConfig={
        "PhoneType": "DESK_PHONE", "DeskPhoneNumber": "+14155550123", "AutoAccept": True,
        "AfterContactWorkTimeLimit": 60})
    user = c.describe_user(InstanceId=iid, UserId=uid)["User"]
    check_phone_config(user, PhoneType="DESK_PHONE", DeskPhoneNumber="+14155550123",
                       AutoAccept=True, AfterContactWorkTimeLimit=60, PersistentConnection=False)
    check_lists(user, auto_accept={"VOICE": True, "CHAT": False, "TASK": False, "EMAIL": False},
                acw=dict.fromkeys(CHANNELS, 60), phone=("DESK_PHONE", "+14155550123"),
                persistent=False, enhancement="NONE")

    # UpdateUserRoutingProfile to a new routing profile.
    rp = c.create_routing_profile(InstanceId=iid, **routing_profile_request(queue))
    new_rp = rp["RoutingProfileId"]
    assert rp["RoutingProfileArn"] == f"{iarn}/routing-profile/{new_rp}"
    c.update_user_routing_profile(InstanceId=iid, UserId=uid, RoutingProfileId=new_rp)
    assert c.describe_user(InstanceId=iid, UserId=uid)["User"]["RoutingProfileId"] == new_rp

    # UpdateUserSecurityProfiles 1 -> 2 -> 3.
    for ids in ([agent, sp1], [agent, sp1, sp2]):
        c.update_user_security_profiles(InstanceId=iid, UserId=uid, SecurityProfileIds=ids)
        got = c.describe_user(InstanceId=iid, UserId=uid)["User"]["SecurityProfileIds"]
        assert sorted(got) == sorted(ids), f"SecurityProfileIds: expected {ids}, got {got}"

    # Tags on the user ARN, reflected at once in DescribeUser.
    uarn = created["UserArn"]
    c.tag_resource(resourceArn=uarn, tags={"env": "prod", "owner": "e2e"})
    expected_tags = {"team": "blue", "env": "prod", "owner": "e2e"}
    assert c.describe_user(InstanceId=iid, UserId=uid)["User"]["Tags"] == expected_tags
    assert c.list_tags_for_resource(resourceArn=uarn)["tags"] == expected_tags
    c.untag_resource(resourceArn=uarn, tagKeys=["team", "env"])
    assert c.describe_user(InstanceId=iid, UserId=uid)["User"]["Tags"] == {"owner": "e2e"}

    # UpdateUserConfig merges by channel; PhoneConfig is a view of the lists.
    before = c.describe_user(InstanceId=iid, UserId=uid)["User"]["LastModifiedTime"]
    c.update_user_config(InstanceId=iid, UserId=uid, **CONFIG_UPDATE)
    user = c.describe_user(InstanceId=iid, UserId=uid)["User"]
    check_after_config_update(user)
    assert user["LastModifiedTime"] >= before
    assert user["LastModifiedRegion"] == "us-east-1"

    # DeleteUser, then it is gone.
    c.delete_user(InstanceId=iid, UserId=uid)
    with pytest.raises(ClientError) as exc:
        c.describe_user(InstanceId=iid, UserId=uid)
    assert_error(exc, "ResourceNotFoundException", 404)

    c.delete_instance(InstanceId=iid)


# ---------------------------------------------------------------- AWS CLI


def test_user_lifecycle_cli(aws):
    inst = aws("create-instance", "--identity-management-type", "CONNECT_MANAGED",
               "--instance-alias", unique("e2e-ucli"), "--inbound-calls-enabled",
               "--outbound-calls-enabled")
    iid, iarn = inst["Id"], inst["Arn"]

    aws("update-user-hierarchy-structure", "--instance-id", iid,
        "--hierarchy-structure", json.dumps(hierarchy_structure()))
    top_id = aws("create-user-hierarchy-group", "--instance-id", iid,
                 "--name", "amer")["HierarchyGroupId"]
    team_id = aws("create-user-hierarchy-group", "--instance-id", iid, "--name", "amer-sales",
                  "--parent-group-id", top_id)["HierarchyGroupId"]
    sp1 = aws("create-security-profile", "--instance-id", iid,
              "--security-profile-name", "e2e-supervisors")["SecurityProfileId"]
    sp2 = aws("create-security-profile", "--instance-id", iid,
              "--security-profile-name", "e2e-auditors")["SecurityProfileId"]
    sps = aws("list-security-profiles", "--instance-id", iid)["SecurityProfileSummaryList"]
    agent = by_name(sps, "Agent")["Id"]
    basic_rp = by_name(aws("list-routing-profiles", "--instance-id", iid)
                       ["RoutingProfileSummaryList"], "Basic Routing Profile")["Id"]
    queue = by_name(aws("list-queues", "--instance-id", iid)["QueueSummaryList"],
                    "BasicQueue")["Id"]

    created = aws(
        "create-user", "--instance-id", iid, "--username", "asmith", "--password", PASSWORD,
        "--identity-info", "FirstName=Alex,LastName=Smith",
        "--phone-config", "PhoneType=SOFT_PHONE,AutoAccept=false,AfterContactWorkTimeLimit=30",
        "--security-profile-ids", agent, "--routing-profile-id", basic_rp,
        "--hierarchy-group-id", top_id, "--tags", "team=blue",
    )
    uid, uarn = created["UserId"], created["UserArn"]
    assert uarn == f"{iarn}/agent/{uid}"

    user = aws("describe-user", "--instance-id", iid, "--user-id", uid)["User"]
    assert user["Username"] == "asmith"
    assert user["IdentityInfo"] == {"FirstName": "Alex", "LastName": "Smith"}
    assert user["SecurityProfileIds"] == [agent]
    assert user["RoutingProfileId"] == basic_rp
    assert user["HierarchyGroupId"] == top_id
    assert user["Tags"] == {"team": "blue"}
    assert isinstance(user["LastModifiedTime"], (int, float)), (
        f"LastModifiedTime should be epoch seconds, got {user['LastModifiedTime']!r}"
    )
    check_phone_config(user, PhoneType="SOFT_PHONE", AutoAccept=False,
                       AfterContactWorkTimeLimit=30, PersistentConnection=False)
    check_lists(user, auto_accept=dict.fromkeys(CHANNELS, False), acw=dict.fromkeys(CHANNELS, 30),
                phone=("SOFT_PHONE", None), persistent=False, enhancement="NONE")

    # A username already used, in another case: the CLI fails with the error code.
    returncode, stderr = aws.fail(
        "create-user", "--instance-id", iid, "--username", "ASmith", "--password", PASSWORD,
        "--identity-info", "FirstName=Other,LastName=Person",
        "--security-profile-ids", agent, "--routing-profile-id", basic_rp,
    )
    assert returncode != 0
    assert "DuplicateResourceException" in stderr, stderr

    aws("update-user-hierarchy", "--instance-id", iid, "--user-id", uid,
        "--hierarchy-group-id", team_id)
    aws("update-user-identity-info", "--instance-id", iid, "--user-id", uid,
        "--identity-info", json.dumps({"FirstName": "Alexandra", "LastName": "Smith",
                                       "Email": "alex@example.com"}))
    aws("update-user-phone-config", "--instance-id", iid, "--user-id", uid, "--phone-config",
        "PhoneType=DESK_PHONE,DeskPhoneNumber=+14155550123,AutoAccept=true,"
        "AfterContactWorkTimeLimit=60")
    user = aws("describe-user", "--instance-id", iid, "--user-id", uid)["User"]
    assert user["HierarchyGroupId"] == team_id
    assert user["IdentityInfo"] == {"FirstName": "Alexandra", "LastName": "Smith",
                                    "Email": "alex@example.com"}
    check_phone_config(user, PhoneType="DESK_PHONE", DeskPhoneNumber="+14155550123",
                       AutoAccept=True, AfterContactWorkTimeLimit=60, PersistentConnection=False)

    rp = aws("create-routing-profile", "--instance-id", iid,
             "--cli-input-json", json.dumps(routing_profile_request(queue)))
    new_rp = rp["RoutingProfileId"]
    aws("update-user-routing-profile", "--instance-id", iid, "--user-id", uid,
        "--routing-profile-id", new_rp)
    aws("update-user-security-profiles", "--instance-id", iid, "--user-id", uid,
        "--security-profile-ids", agent, sp1)
    user = aws("describe-user", "--instance-id", iid, "--user-id", uid)["User"]
    assert user["RoutingProfileId"] == new_rp
    assert sorted(user["SecurityProfileIds"]) == sorted([agent, sp1])

    aws("update-user-security-profiles", "--instance-id", iid, "--user-id", uid,
        "--security-profile-ids", agent, sp1, sp2)
    aws("tag-resource", "--resource-arn", uarn, "--tags", "env=prod,owner=e2e")
    user = aws("describe-user", "--instance-id", iid, "--user-id", uid)["User"]
    assert sorted(user["SecurityProfileIds"]) == sorted([agent, sp1, sp2])
    assert user["Tags"] == {"team": "blue", "env": "prod", "owner": "e2e"}

    aws("untag-resource", "--resource-arn", uarn, "--tag-keys", "team", "env")
    aws("update-user-config", "--instance-id", iid, "--user-id", uid,
        "--cli-input-json", json.dumps(CONFIG_UPDATE))
    user = aws("describe-user", "--instance-id", iid, "--user-id", uid)["User"]
    assert user["Tags"] == {"owner": "e2e"}
    check_after_config_update(user)

    aws("delete-user", "--instance-id", iid, "--user-id", uid)
    returncode, stderr = aws.fail("describe-user", "--instance-id", iid, "--user-id", uid)
    assert "ResourceNotFoundException" in stderr, stderr


# ---------------------------------------------------------------- validation (boto3)


@pytest.fixture(scope="module")
def managed(connect):
    """A CONNECT_MANAGED instance and what a valid CreateUser needs."""
    iid = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias=unique("e2e-valid"),
        InboundCallsEnabled=True, OutboundCallsEnabled=True,
    )["Id"]
    sps = connect.list_security_profiles(InstanceId=iid)["SecurityProfileSummaryList"]
    rps = connect.list_routing_profiles(InstanceId=iid)["RoutingProfileSummaryList"]
    return {
        "iid": iid,
        "agent": by_name(sps, "Agent")["Id"],
        "rp": by_name(rps, "Basic Routing Profile")["Id"],
    }


def user_request(managed, **overrides):
    req = {
        "InstanceId": managed["iid"],
        "Username": unique("u")[:20],
        "Password": PASSWORD,
        "IdentityInfo": {"FirstName": "Val", "LastName": "Idation"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "SecurityProfileIds": [managed["agent"]],
        "RoutingProfileId": managed["rp"],
    }
    req.update(overrides)
    return {k: v for k, v in req.items() if v is not None}


def test_username_too_long(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, Username="a" * 21))
    assert_error(exc, "InvalidParameterException", 400, mentions=["Username"])
    # Twenty characters is fine.
    connect.create_user(**user_request(managed, Username="b" * 20))


def test_username_bad_characters(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, Username="j doe"))
    assert_error(exc, "InvalidParameterException", 400, mentions=["Username"])


def test_duplicate_username_other_case(connect, managed):
    connect.create_user(**user_request(managed, Username="Dup.User"))
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, Username="dup.user"))
    assert_error(exc, "DuplicateResourceException", 409)


def test_missing_password_connect_managed(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, Password=None))
    assert_error(exc, "InvalidRequestException", 400, mentions=["Password"])


def test_weak_password(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, Password="alllowercase"))
    assert_error(exc, "InvalidParameterException", 400, mentions=["Password"])


def test_missing_first_name(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, IdentityInfo={"LastName": "Only"}))
    assert_error(exc, "InvalidRequestException", 400, mentions=["FirstName"])


def test_name_not_nfc(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(
            managed, IdentityInfo={"FirstName": "Jose\u0301", "LastName": "Doe"}))
    assert_error(exc, "InvalidParameterException", 400, mentions=["FirstName"])


def test_unknown_routing_profile(connect, managed):
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, RoutingProfileId=missing))
    assert_error(exc, "InvalidParameterException", 400, mentions=["RoutingProfileId", missing])


def test_phone_config_with_its_channel_list(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(
            managed,
            PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": True},
            AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}],
        ))
    assert_error(exc, "InvalidRequestException", 400)


def test_after_contact_work_out_of_range(connect, managed):
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(
            managed, PhoneConfig={"PhoneType": "SOFT_PHONE",
                                  "AfterContactWorkTimeLimit": 2_000_001}))
    assert_error(exc, "InvalidParameterException", 400, mentions=["AfterContactWorkTimeLimit"])


def test_update_user_config_is_atomic(connect, managed):
    uid = connect.create_user(**user_request(managed))["UserId"]
    with pytest.raises(ClientError) as exc:
        connect.update_user_config(
            InstanceId=managed["iid"], UserId=uid,
            AutoAcceptConfigs=[{"Channel": "CHAT", "AutoAccept": True}],
            PhoneNumberConfigs=[{"Channel": "CHAT", "PhoneType": "SOFT_PHONE"}],
        )
    code, status, message = error_of(exc)
    assert status == 400 and code in ("InvalidParameterException", "InvalidRequestException"), (
        code, status, message)
    assert "PhoneNumberConfigs" in message, message
    user = connect.describe_user(InstanceId=managed["iid"], UserId=uid)["User"]
    assert auto_accept_by_channel(user)["CHAT"] is False, (
        "a refused UpdateUserConfig must change nothing"
    )


def test_unknown_user_and_instance(connect, managed):
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ClientError) as exc:
        connect.describe_user(InstanceId=managed["iid"], UserId=missing)
    assert_error(exc, "ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as exc:
        connect.create_user(**user_request(managed, InstanceId=missing))
    assert_error(exc, "ResourceNotFoundException", 404)


def test_saml_instance_rules(connect):
    iid = connect.create_instance(
        IdentityManagementType="SAML", InstanceAlias=unique("e2e-saml"),
        InboundCallsEnabled=True, OutboundCallsEnabled=True,
    )["Id"]
    sps = connect.list_security_profiles(InstanceId=iid)["SecurityProfileSummaryList"]
    rps = connect.list_routing_profiles(InstanceId=iid)["RoutingProfileSummaryList"]
    base = user_request({"iid": iid, "agent": by_name(sps, "Agent")["Id"],
                         "rp": by_name(rps, "Basic Routing Profile")["Id"]}, Password=None)
    # SAML allows usernames up to 64 characters, email-shaped ones included.
    long_name = "a" * 52 + "@example.com"
    assert len(long_name) == 64
    connect.create_user(**dict(base, Username=long_name))
    with pytest.raises(ClientError) as exc:
        connect.create_user(**dict(base, Username="a" * 65))
    assert_error(exc, "InvalidParameterException", 400, mentions=["Username"])
    # A password is refused on SAML.
    with pytest.raises(ClientError) as exc:
        connect.create_user(**dict(base, Username="with-password", Password=PASSWORD))
    assert_error(exc, "InvalidRequestException", 400, mentions=["Password"])
    connect.delete_instance(InstanceId=iid)
