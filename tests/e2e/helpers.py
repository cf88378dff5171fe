"""Constants and small helpers shared by the end-to-end checks."""

import re
import uuid

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "secret"
REGION = "us-east-1"
ACCOUNT = "123456789012"

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

DEFAULT_SECURITY_PROFILES = {"Admin", "Agent", "CallCenterManager", "QualityAnalyst"}
CHANNELS = {"VOICE", "CHAT", "TASK", "EMAIL"}


def unique(prefix):
    """A short name unique to this run (instance aliases are unique per account)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def error_of(excinfo):
    """(code, HTTP status, message) of a botocore ClientError."""
    err = excinfo.value.response
    return (
        err.get("Error", {}).get("Code"),
        err.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        err.get("Error", {}).get("Message", ""),
    )
