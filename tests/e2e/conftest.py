"""Shared fixtures for the end-to-end checks: the real `roster` binary, driven by
boto3 and by the AWS CLI (both from PyPI), exactly as a user would drive them.

Environment:
  ROSTER_BIN  path to the built `roster` binary (default: target/debug/roster)
"""

import json
import os
import queue
import signal
import subprocess
import threading
from pathlib import Path

import boto3
import botocore.config
import pytest

REPO = Path(__file__).resolve().parents[2]
READY_PREFIX = "roster listening on "
READY_TIMEOUT_S = 30
STOP_TIMEOUT_S = 15
CLI_TIMEOUT_S = 60

from helpers import ACCESS_KEY, REGION, SECRET_KEY


def roster_bin():
    path = os.environ.get("ROSTER_BIN") or str(REPO / "target" / "debug" / "roster")
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        pytest.fail(
            f"roster binary not found at {path!r}: build it with `cargo build -p roster` "
            "or point ROSTER_BIN at it"
        )
    return path


def clean_aws_env():
    """The process environment without anything of the developer's own AWS setup."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


@pytest.fixture(scope="session", autouse=True)
def _isolated_aws_env():
    """boto3 in this process must not read the developer's config or credentials."""
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            mp.delenv(key)
        for key, value in clean_aws_env().items():
            if key.startswith("AWS_"):
                mp.setenv(key, value)
        yield


class RosterServer:
    def __init__(self, data_dir, log_path, extra_args=()):
        self.data_dir = data_dir
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None
        self._stdout_lines = []

    def start(self):
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [roster_bin(), "serve", "--listen", "127.0.0.1:0", "--data", str(self.data_dir),
             *self.extra_args],
            stdout=subprocess.PIPE,
            stderr=self._log,
            stdin=subprocess.DEVNULL,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("ROSTER_")},
        )
        lines = queue.Queue()

        def pump():
            # Keep reading stdout for the server's whole life so it never blocks on a
            # full pipe; the first lines are handed over through the queue.
            for line in self.proc.stdout:
                self._stdout_lines.append(line)
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        try:
            while True:
                line = lines.get(timeout=READY_TIMEOUT_S)
                if line is None:
                    code = self.proc.wait(timeout=5)
                    pytest.fail(
                        f"roster exited with code {code} before printing its ready line; "
                        f"stdout={''.join(self._stdout_lines)!r}; stderr:\n{self.log_tail()}"
                    )
                line = line.strip()
                if line.startswith(READY_PREFIX):
                    self.url = line[len(READY_PREFIX):].strip()
                    assert self.url.startswith("http://"), f"unexpected ready line {line!r}"
                    return self.url
        except queue.Empty:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(
                f"roster did not print {READY_PREFIX!r}... within {READY_TIMEOUT_S} s; "
                f"stdout={''.join(self._stdout_lines)!r}; stderr:\n{self.log_tail()}"
            )

    def stop(self):
        """SIGTERM, and the exit code (None when it had to be killed)."""
        try:
            if self.proc.poll() is not None:
                return self.proc.returncode
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        finally:
            self._log.close()

    def log_tail(self, lines=30):
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="module")
def roster(tmp_path_factory):
    """One running roster per test module: yields its endpoint URL
    (http://127.0.0.1:PORT); on teardown SIGTERMs it and checks it exits 0."""
    base = tmp_path_factory.mktemp("roster")
    server = RosterServer(base / "data", base / "roster.log")
    url = server.start()
    yield url
    code = server.stop()
    assert code == 0, (
        f"roster should exit 0 on SIGTERM within {STOP_TIMEOUT_S} s, got "
        f"{'no exit (killed)' if code is None else code}; stderr:\n{server.log_tail()}"
    )


def make_client(endpoint_url, access_key=ACCESS_KEY, region=REGION):
    return boto3.session.Session().client(
        "connect",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def connect(roster):
    """A boto3 `connect` client pointed at the module's roster."""
    return make_client(roster)


class CliFailure(tuple):
    """(returncode, stderr) of a failed `aws` run."""

    __slots__ = ()

    def __new__(cls, returncode, stderr):
        return super().__new__(cls, (returncode, stderr))

    @property
    def returncode(self):
        return self[0]

    @property
    def stderr(self):
        return self[1]


class AwsCli:
    """Runs `aws connect ARGS --endpoint-url URL --output json` with a clean
    environment (dummy credentials, us-east-1, no config or credentials files)."""

    def __init__(self, endpoint_url):
        self.endpoint_url = endpoint_url
        self.env = clean_aws_env()

    def run(self, *args):
        cmd = ["aws", "connect", *map(str, args), "--endpoint-url", self.endpoint_url,
               "--output", "json"]
        proc = subprocess.run(
            cmd, env=self.env, capture_output=True, text=True, timeout=CLI_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0:
            return CliFailure(proc.returncode, proc.stderr)
        out = proc.stdout.strip()
        return json.loads(out) if out else {}

    def __call__(self, *args):
        """Parsed JSON output; fails the test when the command fails."""
        result = self.run(*args)
        if isinstance(result, CliFailure):
            pytest.fail(
                f"`aws connect {' '.join(map(str, args))}` exited {result.returncode}:\n"
                f"{result.stderr}"
            )
        return result

    def fail(self, *args):
        """(returncode, stderr) of a command that is expected to fail."""
        result = self.run(*args)
        assert isinstance(result, CliFailure), (
            f"`aws connect {' '.join(map(str, args))}` should have failed, "
            f"but succeeded with {result!r}"
        )
        return result


@pytest.fixture(scope="module")
def aws(roster):
    """Callable running the AWS CLI against the module's roster: `aws("describe-user",
    "--instance-id", i, "--user-id", u)` returns the parsed JSON output, and
    `aws.fail(...)` returns (returncode, stderr) of a command expected to fail."""
    return AwsCli(roster)
