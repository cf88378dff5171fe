"""Instances through boto3 and through the AWS CLI: creation with the default
profiles, queue and routing profile, tags, attributes, deletion."""

import datetime

import pytest
from botocore.exceptions import ClientError

from helpers import ACCOUNT, DEFAULT_SECURITY_PROFILES, REGION, UUID_RE, error_of, unique

# The attributes a new instance has, with the real service's defaults
# (inbound/outbound calls follow the creation request).
DEFAULT_ATTRIBUTES = {
    "CONTACT_LENS": "true",
    "EARLY_MEDIA": "true",
    "AUTO_RESOLVE_BEST_VOICES": "true",
    "CONTACTFLOW_LOGS": "false",
    "USE_CUSTOM_TTS_VOICES": "false",
}


def by_name(summaries, name, what):
    found = [s for s in summaries if s.get("Name") == name]
    assert len(found) == 1, f"expected exactly one {what} named {name!r}, got {summaries!r}"
    return found[0]


def check_instance_ids(instance_id, instance_arn):
    assert UUID_RE.match(instance_id), f"instance id {instance_id!r} is not a lowercase UUID v4"
    assert instance_arn == f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{instance_id}"


def check_child_arn(summary, instance_arn, kind):
    assert UUID_RE.match(summary["Id"]), f"{kind} id {summary['Id']!r} is not a UUID v4"
    assert summary["Arn"] == f"{instance_arn}/{kind}/{summary['Id']}", summary


def check_defaults(security_profiles, routing_profiles, queues, instance_arn):
    """Default security profiles, 'Basic Routing Profile' and 'BasicQueue'; returns
    (routing profile summary, queue summary)."""
    names = [p["Name"] for p in security_profiles]
    missing = DEFAULT_SECURITY_PROFILES - set(names)
    assert not missing, f"default security profiles {sorted(missing)} missing from {names}"
    for name in DEFAULT_SECURITY_PROFILES:
        check_child_arn(by_name(security_profiles, name, "security profile"), instance_arn,
                        "security-profile")
    routing = by_name(routing_profiles, "Basic Routing Profile", "routing profile")
    check_child_arn(routing, instance_arn, "routing-profile")
    queue = by_name(queues, "BasicQueue", "queue")
    check_child_arn(queue, instance_arn, "queue")
    return routing, queue


# ---------------------------------------------------------------- boto3


def test_instance_lifecycle_boto3(connect):
    alias = unique("e2e-inst")
    created = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias=alias,
        InboundCallsEnabled=True,
        OutboundCallsEnabled=False,
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    instance_id, instance_arn = created["Id"], created["Arn"]
    check_instance_ids(instance_id, instance_arn)

    inst = connect.describe_instance(InstanceId=instance_id)["Instance"]
    assert inst["Id"] == instance_id
    assert inst["Arn"] == instance_arn
    assert inst["InstanceAlias"] == alias
    assert inst["IdentityManagementType"] == "CONNECT_MANAGED"
    assert inst["InstanceStatus"] == "ACTIVE"
    assert inst["InboundCallsEnabled"] is True
    assert inst["OutboundCallsEnabled"] is False
    assert isinstance(inst["CreatedTime"], datetime.datetime)

    # The instance ARN is accepted wherever an InstanceId path label is.
    by_arn = connect.describe_instance(InstanceId=instance_arn)["Instance"]
    assert by_arn["Id"] == instance_id

    # Defaults, found by name through the List calls.
    sps = connect.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
    rps = connect.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"]
    qs = connect.list_queues(InstanceId=instance_id)["QueueSummaryList"]
    routing, queue = check_defaults(sps, rps, qs, instance_arn)
    rp = connect.describe_routing_profile(
        InstanceId=instance_id, RoutingProfileId=routing["Id"]
    )["RoutingProfile"]
    assert rp["Name"] == "Basic Routing Profile"
    assert rp["DefaultOutboundQueueId"] == queue["Id"], (
        "Basic Routing Profile's default outbound queue should be BasicQueue"
    )

    # Tags on the instance ARN.
    connect.tag_resource(resourceArn=instance_arn, tags={"team": "blue", "env": "test"})
    tags = connect.list_tags_for_resource(resourceArn=instance_arn)["tags"]
    assert tags == {"team": "blue", "env": "test"}
    connect.untag_resource(resourceArn=instance_arn, tagKeys=["env"])
    assert connect.list_tags_for_resource(resourceArn=instance_arn)["tags"] == {"team": "blue"}
    # Untagging a key that is not there is not an error.
    connect.untag_resource(resourceArn=instance_arn, tagKeys=["absent"])
    assert connect.list_tags_for_resource(resourceArn=instance_arn)["tags"] == {"team": "blue"}

    # Attributes.
    expected = dict(DEFAULT_ATTRIBUTES, INBOUND_CALLS="true", OUTBOUND_CALLS="false")
    for attr_type, value in expected.items():
        attr = connect.describe_instance_attribute(
            InstanceId=instance_id, AttributeType=attr_type
        )["Attribute"]
        assert attr == {"AttributeType": attr_type, "Value": value}, (
            f"DescribeInstanceAttribute {attr_type}: expected {value!r}, got {attr!r}"
        )
    listed = {}
    kwargs = {"InstanceId": instance_id}
    while True:
        page = connect.list_instance_attributes(**kwargs)
        listed.update({a["AttributeType"]: a["Value"] for a in page["Attributes"]})
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    for attr_type, value in expected.items():
        assert listed.get(attr_type) == value, f"ListInstanceAttributes {attr_type}: {listed!r}"

    connect.update_instance_attribute(
        InstanceId=instance_id, AttributeType="CONTACTFLOW_LOGS", Value="true"
    )
    attr = connect.describe_instance_attribute(
        InstanceId=instance_id, AttributeType="CONTACTFLOW_LOGS"
    )["Attribute"]
    assert attr["Value"] == "true"

    # Delete, then it is gone, with everything in it.
    deleted = connect.delete_instance(InstanceId=instance_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as exc:
        connect.describe_instance(InstanceId=instance_id)
    code, status, message = error_of(exc)
    assert (code, status) == ("ResourceNotFoundException", 404), (code, status, message)
    assert message, "the error should carry a message"
    with pytest.raises(ClientError) as exc:
        connect.list_security_profiles(InstanceId=instance_id)
    assert error_of(exc)[:2] == ("ResourceNotFoundException", 404)


def test_instance_alias_in_use_boto3(connect):
    alias = unique("e2e-dup")
    first = connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias=alias,
        InboundCallsEnabled=True, OutboundCallsEnabled=True,
    )
    with pytest.raises(ClientError) as exc:
        connect.create_instance(
            IdentityManagementType="CONNECT_MANAGED", InstanceAlias=alias,
            InboundCallsEnabled=True, OutboundCallsEnabled=True,
        )
    assert error_of(exc)[:2] == ("InvalidRequestException", 400), error_of(exc)
    connect.delete_instance(InstanceId=first["Id"])


# ---------------------------------------------------------------- AWS CLI


def test_instance_lifecycle_cli(aws):
    alias = unique("e2e-cli")
    created = aws(
        "create-instance", "--identity-management-type", "CONNECT_MANAGED",
        "--instance-alias", alias, "--no-inbound-calls-enabled", "--outbound-calls-enabled",
    )
    instance_id, instance_arn = created["Id"], created["Arn"]
    check_instance_ids(instance_id, instance_arn)

    inst = aws("describe-instance", "--instance-id", instance_id)["Instance"]
    assert inst["InstanceAlias"] == alias
    assert inst["InstanceStatus"] == "ACTIVE"
    assert inst["InboundCallsEnabled"] is False
    assert inst["OutboundCallsEnabled"] is True

    sps = aws("list-security-profiles", "--instance-id", instance_id)
    rps = aws("list-routing-profiles", "--instance-id", instance_id)
    # The instance ARN works as --instance-id too.
    qs = aws("list-queues", "--instance-id", instance_arn)
    check_defaults(sps["SecurityProfileSummaryList"], rps["RoutingProfileSummaryList"],
                   qs["QueueSummaryList"], instance_arn)

    assert aws("tag-resource", "--resource-arn", instance_arn,
               "--tags", "team=red,env=cli") == {}
    tags = aws("list-tags-for-resource", "--resource-arn", instance_arn)["tags"]
    assert tags == {"team": "red", "env": "cli"}
    assert aws("untag-resource", "--resource-arn", instance_arn, "--tag-keys", "team") == {}
    tags = aws("list-tags-for-resource", "--resource-arn", instance_arn)["tags"]
    assert tags == {"env": "cli"}

    attr = aws("describe-instance-attribute", "--instance-id", instance_id,
               "--attribute-type", "INBOUND_CALLS")["Attribute"]
    assert attr == {"AttributeType": "INBOUND_CALLS", "Value": "false"}

    assert aws("delete-instance", "--instance-id", instance_id) == {}
    returncode, stderr = aws.fail("describe-instance", "--instance-id", instance_id)
    assert returncode != 0
    assert "ResourceNotFoundException" in stderr, stderr
