"""Wire-level promises seen through boto3: request ids, error headers, and how an
operation of the Connect API that roster does not implement fails."""

import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

from helpers import UUID_RE, error_of, unique


@pytest.fixture(scope="module")
def instance_id(connect):
    return connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED", InstanceAlias=unique("e2e-wire"),
        InboundCallsEnabled=True, OutboundCallsEnabled=True,
    )["Id"]


def test_health(roster):
    with urllib.request.urlopen(f"{roster}/health", timeout=10) as resp:
        assert resp.status == 200
        body = json.loads(resp.read())
    assert body.get("status") == "ok", body


def test_request_ids_are_fresh_uuids(connect, instance_id):
    first = connect.list_instances()["ResponseMetadata"]
    second = connect.describe_instance(InstanceId=instance_id)["ResponseMetadata"]
    for meta in (first, second):
        assert "x-amzn-requestid" in meta["HTTPHeaders"], meta["HTTPHeaders"]
        assert UUID_RE.match(meta["RequestId"]), f"RequestId {meta['RequestId']!r} is not a UUID"
    assert first["RequestId"] != second["RequestId"], "request ids must differ between calls"


def test_error_response_headers(connect):
    with pytest.raises(ClientError) as exc:
        connect.describe_instance(InstanceId="00000000-0000-4000-8000-000000000000")
    code, status, message = error_of(exc)
    assert (code, status) == ("ResourceNotFoundException", 404), (code, status, message)
    meta = exc.value.response["ResponseMetadata"]
    headers = meta["HTTPHeaders"]
    assert headers.get("x-amzn-errortype") == "ResourceNotFoundException", headers
    assert "x-amzn-requestid" in headers, headers
    assert UUID_RE.match(meta.get("RequestId", "")), f"error RequestId: {meta!r}"
    assert headers.get("content-type", "").startswith("application/json"), headers


def test_unimplemented_operation_is_a_clear_client_error(connect, instance_id):
    with pytest.raises(ClientError) as exc:
        connect.list_contact_flows(InstanceId=instance_id)
    code, status, message = error_of(exc)
    assert status is not None and 400 <= status < 500, (
        f"an unimplemented operation should be a 4xx, got {status} {code}: {message!r}"
    )
    assert (code, status) == ("InvalidRequestException", 400), (code, status, message)
    assert "ListContactFlows" in message and "not implemented" in message, message
