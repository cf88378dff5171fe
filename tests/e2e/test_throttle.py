"""Throttling emulation seen from boto3: with `--throttle aws`, a client in boto3's
standard retry mode gets a 20-user loop through, slowly, each user created once.

boto3's standard mode makes 3 attempts by default; against a bucket refilled at 2 a
second its jittered backoff (0-1 s, then 0-2 s) gives up on about one loop in three
(3 of 8 measured), as it would against the real quota, so the loop allows 10 attempts
(`max_attempts`), as bulk tools written for Connect do."""

import time

import boto3
import botocore.config
import pytest

from conftest import RosterServer
from helpers import ACCESS_KEY, REGION, SECRET_KEY, error_of, unique


@pytest.fixture(scope="module")
def throttled(tmp_path_factory):
    base = tmp_path_factory.mktemp("throttled")
    server = RosterServer(base / "data", base / "roster.log", ["--throttle", "aws"])
    url = server.start()
    yield url
    assert server.stop() == 0, server.log_tail()


def client(url, retries):
    return boto3.session.Session().client(
        "connect",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries=retries),
    )


def ids_of(c, instance):
    profiles = c.list_security_profiles(InstanceId=instance)["SecurityProfileSummaryList"]
    agent = next(p["Id"] for p in profiles if p["Name"] == "Agent")
    routing = c.list_routing_profiles(InstanceId=instance)["RoutingProfileSummaryList"]
    basic = next(p["Id"] for p in routing if p["Name"] == "Basic Routing Profile")
    return agent, basic


def test_standard_retries_get_a_loop_through_each_user_once(throttled):
    c = client(throttled, {"mode": "standard", "max_attempts": 10})
    instance = c.create_instance(
        IdentityManagementType="SAML",
        InstanceAlias=unique("throttle"),
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )["Id"]
    agent, basic = ids_of(c, instance)
    started = time.monotonic()
    for n in range(20):
        c.create_user(
            InstanceId=instance,
            Username=f"loop{n:02}",
            IdentityInfo={"FirstName": "Ada", "LastName": "Lovelace"},
            PhoneConfig={"PhoneType": "SOFT_PHONE"},
            SecurityProfileIds=[agent],
            RoutingProfileId=basic,
        )
    elapsed = time.monotonic() - started
    names = set()
    for page in c.get_paginator("list_users").paginate(InstanceId=instance):
        names.update(u["Username"] for u in page["UserSummaryList"])
    assert names == {f"loop{n:02}" for n in range(20)}
    # After the burst of 5, 2 a second.
    assert elapsed >= 7.0, f"the loop was not slowed: {elapsed:.2f} s"

    # Without retries the 429 shows, naming the quota, and wrote nothing.
    bare = client(throttled, {"mode": "standard", "total_max_attempts": 1})
    refused = 0
    for n in range(10):
        try:
            bare.create_user(
                InstanceId=instance,
                Username=f"extra{n:02}",
                IdentityInfo={"FirstName": "Ada", "LastName": "Lovelace"},
                PhoneConfig={"PhoneType": "SOFT_PHONE"},
                SecurityProfileIds=[agent],
                RoutingProfileId=basic,
            )
        except bare.exceptions.ThrottlingException as e:
            refused += 1
            code, status, message = error_of(pytest.ExceptionInfo.from_exception(e))
            assert (code, status) == ("ThrottlingException", 429)
            assert "CreateUser allows 2 requests per second" in message
    assert refused > 0
    after = set()
    for page in c.get_paginator("list_users").paginate(InstanceId=instance):
        after.update(u["Username"] for u in page["UserSummaryList"])
    assert len(after) == 20 + 10 - refused
