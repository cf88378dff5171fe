#!/usr/bin/env python3
"""Times a 1,000-row CSV upload through the console, from the click on Upload to the
result on the page, into a SAML and a CONNECT_MANAGED instance, in headless Chromium.

  ROSTER_BIN=target/release/roster .venv/bin/python scripts/measure-console-upload.py
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from conftest import RosterServer, make_client  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

HEADER = ("first name,last name,email address,secondary email address,mobile,password,"
          "user login,routing profile name,security_profile_name_1|security_profile_name_2,"
          "phone type (soft/desk),phone number,soft phone auto accept (yes/no),"
          "ACW timeout (seconds)")


def rows(password):
    return (HEADER + "\n" + "\n".join(
        f"First{n},Last{n},u{n}@example.com,,,{password},m{n:04d},Basic Routing Profile,"
        f"Agent,soft,,no,30" for n in range(1000)) + "\n").encode()


def main():
    base = Path(tempfile.mkdtemp())
    server = RosterServer(base / "data", base / "roster.log",
                          extra_args=["--max-users-per-instance", "5000"])
    server.start()
    api = make_client(server.url)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(server.url + "/console")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/console/instances")
            for n, (idm, password) in enumerate(
                    [("SAML", ""), ("SAML", ""), ("CONNECT_MANAGED", "Secret123!x")]):
                iid = api.create_instance(
                    IdentityManagementType=idm, InstanceAlias=f"measure-{n}-{os.getpid()}",
                    InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
                page.goto(f"{server.url}/console/instances/{iid}/upload")
                page.get_by_label("CSV file").set_input_files(files=[
                    {"name": "users.csv", "mimeType": "text/csv", "buffer": rows(password)}])
                started = time.monotonic()
                page.get_by_role("button", name="Upload").click()
                page.locator("#upload-result").wait_for(timeout=600_000)
                took = time.monotonic() - started
                print(f"{idm}: submit to result {took:.2f} s; "
                      f"{page.locator('#upload-result').inner_text()}")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
