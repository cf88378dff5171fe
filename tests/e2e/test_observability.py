"""The instruments seen from outside: `/metrics` parses with the Prometheus project's
own OpenMetrics parser and its counters move with boto3's calls; the request
inspector, read with a SigV4-signed request, shows a CreateUser with its password
redacted; with `--log-format json` every log line is one JSON object, and no
password reaches the log."""

import json
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from conftest import RosterServer
from helpers import ACCESS_KEY, REGION, SECRET_KEY, unique

PASSWORD = "Observ3dSecret!x"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("observed")
    s = RosterServer(base / "data", base / "roster.log",
                     ["--metrics", "--inspect", "--log-format", "json"])
    url = s.start()
    yield s, url
    s.stop()


def client(url):
    return boto3.session.Session().client(
        "connect", endpoint_url=url, region_name=REGION,
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def scrape(url):
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as r:
        assert r.headers["Content-Type"].startswith("application/openmetrics-text")
        text = r.read().decode()
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def signed_get(url, path):
    request = botocore.awsrequest.AWSRequest(method="GET", url=f"{url}{path}")
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY),
                            "connect", REGION).add_auth(request)
    prepared = urllib.request.Request(f"{url}{path}", headers=dict(request.headers.items()))
    with urllib.request.urlopen(prepared, timeout=10) as r:
        return json.loads(r.read())


def test_metrics_inspector_and_json_logs(server):
    s, url = server
    c = client(url)
    before = scrape(url)
    instance = c.create_instance(IdentityManagementType="CONNECT_MANAGED",
                                 InstanceAlias=unique("obs"), InboundCallsEnabled=True,
                                 OutboundCallsEnabled=True)["Id"]
    profiles = c.list_security_profiles(InstanceId=instance)["SecurityProfileSummaryList"]
    agent = next(p["Id"] for p in profiles if p["Name"] == "Agent")
    routing = c.list_routing_profiles(InstanceId=instance)["RoutingProfileSummaryList"][0]["Id"]
    user = c.create_user(InstanceId=instance, Username="observed", Password=PASSWORD,
                         IdentityInfo={"FirstName": "Obs", "LastName": "Erved"},
                         PhoneConfig={"PhoneType": "SOFT_PHONE"},
                         SecurityProfileIds=[agent], RoutingProfileId=routing)["UserId"]
    c.describe_user(InstanceId=instance, UserId=user)

    after = scrape(url)
    key = ("roster_requests_total", (("operation", "CreateUser"), ("status", "200")))
    assert after.get(key, 0) - before.get(key, 0) == 1
    key = ("roster_requests_total", (("operation", "DescribeUser"), ("status", "200")))
    assert after.get(key, 0) == 1
    assert after[("roster_users", (("store", "sqlite"),))] == 1

    shown = signed_get(url, "/_roster/requests?operation=CreateUser")
    assert len(shown["requests"]) == 1
    assert shown["requests"][0]["requestBody"]["Password"] == "***"
    assert PASSWORD not in json.dumps(shown)

    assert s.stop() == 0
    lines = [l for l in open(s.log_path, encoding="utf-8").read().splitlines() if l.strip()]
    assert lines, "the server logged nothing"
    logged = [json.loads(l) for l in lines]  # every line is one JSON object
    requests = [l for l in logged if l.get("fields", {}).get("message") == "request"]
    assert any(l["fields"].get("operation") == "CreateUser" for l in requests), lines[:5]
    assert all(PASSWORD not in l for l in lines)
