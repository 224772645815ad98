"""The API under schemathesis (bounded), anonymous and as an administrator, and every writing operation with a body
over its limit: whatever arrives, no answer is a 5xx (issue 14)."""
import re
import subprocess
import sys
from pathlib import Path

import requests
import yaml

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def fuzz(server, *extra, timeout=600):
    return subprocess.run(
        [str(SCHEMATHESIS), "run", server.base + "/api/v1/openapi.yaml", "--url", server.base, "--checks", "not_a_server_error",
         "--max-examples", "4", "--phases", "examples,coverage,fuzzing", "--seed", "14", "--workers", "2", "--max-time", "240",
         "--request-timeout", "20", *extra],
        capture_output=True, text=True, timeout=timeout)


def test_no_input_makes_the_api_fail_anonymous_or_signed_in(workdir, servers):
    server = servers("--demo", cwd=workdir)
    anonymous = fuzz(server)
    assert anonymous.returncode == 0, anonymous.stdout[-6000:] + anonymous.stderr[-2000:]
    cookie = server.sign_in().cookies.get("madoguchi_session")
    # signed in as the administrator: everything but signing out, which would end the run's own session
    staff = fuzz(server, "-H", f"Cookie: madoguchi_session={cookie}", "--exclude-path-regex", "^/api/v1/session")
    assert staff.returncode == 0, staff.stdout[-6000:] + staff.stderr[-2000:]
    assert requests.get(server.base + "/healthz", timeout=5).status_code == 200


def test_bodies_over_the_limit_answer_413_with_the_error_envelope(workdir, servers):
    server = servers("--demo", cwd=workdir)
    session = server.sign_in()
    spec = yaml.safe_load(requests.get(server.base + "/api/v1/openapi.yaml", timeout=10).text)
    big = b'{"x":"' + b"a" * (40 * 1024 * 1024) + b'"}'
    tried = 0
    for path, operations in spec["paths"].items():
        for method in ("post", "put", "patch"):
            if method not in operations or "requestBody" not in operations[method] or path.startswith("/api/v1/session"):
                continue
            url = server.base + re.sub(r"\{[^}]+\}", "x", path)
            answer = session.request(method.upper(), url, data=big, headers={"Content-Type": "application/json"}, timeout=60)
            tried += 1
            assert answer.status_code < 500, f"{method} {path}: {answer.status_code} {answer.text[:300]}"
            if answer.status_code == 413:  # body_too_large, or a more specific code such as attachment_too_large
                assert answer.json()["error"]["code"].endswith("_too_large")
    assert tried >= 10
