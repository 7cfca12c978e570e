#!/usr/bin/env python3
"""The alternative an access review is measured against: what a reviewer scripts today.

For each user in turn, the requests Stand-in's single-user compare makes (`standin as EMAIL compare`):
the admin's own document listing (every page), a subject token, the token exchange, the user's document
listing (every page). Sequential, in one process, over one keep-alive connection (requests.Session), so
neither process start-up nor connection set-up is what is measured. No audit log is written (that only
favours the loop). The users are found once, as the review finds them (active members, admins skipped).

Environment: SIGMA_BASE_URL, SIGMA_CLIENT_ID, SIGMA_CLIENT_SECRET. Prints one JSON line:
{"users", "requests", "seconds", "cells"}.
"""
import json
import os
import sys
import time
import uuid

import jwt
import requests

BASE = os.environ["SIGMA_BASE_URL"].rstrip("/")
CLIENT_ID = os.environ["SIGMA_CLIENT_ID"]
SECRET = os.environ["SIGMA_CLIENT_SECRET"]
session = requests.Session()
sent = 0


def post_token(form, bearer=None):
    global sent
    sent += 1
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    r = session.post(f"{BASE}/v2/auth/token", data=form, headers=headers)
    r.raise_for_status()
    return r.json()["access_token"]


def every_page(path, token, params=None):
    global sent
    out, cursor = [], None
    while True:
        q = dict(params or {}, limit=1000)
        if cursor:
            q["page"] = cursor
        sent += 1
        r = session.get(f"{BASE}{path}", params=q, headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()
        body = r.json()
        out.extend(body.get("entries", []))
        cursor = body.get("nextPage")
        if not cursor:
            return out


started = time.monotonic()
admin = post_token({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET})
members = every_page("/v2/members", admin)
users = [m for m in members
         if m.get("memberType", "").lower() != "admin" and not m.get("isArchived") and not m.get("isInactive")]
cells = 0
for m in users:
    mine = every_page("/v2/files", admin)
    now = int(time.time()) - 30
    subject = jwt.encode({"sub": m["email"], "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())},
                         SECRET, algorithm="HS256", headers={"kid": CLIENT_ID})
    token = post_token({
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "subject_token": subject,
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "actor_token": admin,
        "actor_token_type": "urn:ietf:params:oauth:token-type:access_token",
    }, bearer=admin)
    theirs = every_page("/v2/files", token)
    # The comparison itself (what `compare` prints), so the loop does the same job.
    by_id = {f["id"]: f.get("permission") for f in mine}
    cells += len(theirs)
    _ = [f for f in theirs if by_id.get(f["id"]) != f.get("permission")]
json.dump({"users": len(users), "requests": sent, "seconds": round(time.monotonic() - started, 3),
           "cells": cells}, sys.stdout)
print()
