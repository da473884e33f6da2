#!/usr/bin/python3
"""Stand-in for the firecracker binary (it needs /dev/kvm, which these machines lack).

Serves Firecracker's API on --api-sock like the real process, checks every request against the
published API definition ($FIRECRACKER_API_SPEC: Swagger 2.0), keeps the instance's state
(Not started -> Running <-> Paused; pre-boot-only endpoints refused after start; snapshots only
when paused; snapshot load only on a fresh process) and appends one JSON line per request to
$FAKE_FIRECRACKER_LOG: {"method", "path", "body", "status", "error"}.
"""
import argparse
import json
import os
import re
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

import jsonschema
import yaml

PRE_BOOT_ONLY = ("/machine-config", "/boot-source", "/drives/", "/network-interfaces/")


def strict(schema):
    """Firecracker rejects unknown fields: objects with properties allow no others."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            strict(value)
    elif isinstance(schema, list):
        for value in schema:
            strict(value)
    return schema


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api-sock", required=True)
    ap.add_argument("--id", default="anonymous-instance")
    args = ap.parse_args()
    with open(os.environ["FIRECRACKER_API_SPEC"]) as f:
        spec = yaml.safe_load(f)
    definitions = strict(spec["definitions"])
    routes = []
    for template, ops in spec["paths"].items():
        pattern = "^" + re.sub(r"\{([^}]+)\}", r"(?P<\1>[^/]+)", template) + "$"
        routes.append((re.compile(pattern), ops))
    log_path = os.environ.get("FAKE_FIRECRACKER_LOG")
    state = {"vm": "Not started", "configured": False}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def address_string(self):
            return "unix"

        def reply(self, status, body=None, error=None):
            data = b"" if body is None else json.dumps(body).encode()
            if log_path:  # before answering: the caller may read the log as soon as it has the answer
                with open(log_path, "a") as f:
                    f.write(json.dumps({"method": self.command, "path": self.path, "body": self.body,
                                        "status": status, "error": error}) + "\n")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data:
                self.wfile.write(data)

        def fault(self, message):
            self.reply(400, {"fault_message": message}, message)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                self.body = json.loads(raw) if raw else None
            except ValueError:
                self.body = raw.decode(errors="replace")
                return self.fault("body is not JSON")
            for pattern, ops in routes:
                m = pattern.match(self.path)
                if not m:
                    continue
                op = ops.get(self.command.lower())
                if op is None:
                    return self.fault(f"{self.command} is not defined for {self.path}")
                body_params = [p for p in op.get("parameters", []) if p.get("in") == "body"]
                if body_params:
                    if self.body is None:
                        return self.fault("a body is required")
                    schema = dict(body_params[0]["schema"], definitions=definitions)
                    try:
                        jsonschema.Draft4Validator(schema).validate(self.body)
                    except jsonschema.ValidationError as e:
                        return self.fault("body does not match the API definition: " + e.message)
                    for name, value in m.groupdict().items():
                        if isinstance(self.body, dict) and name in self.body and self.body[name] != value:
                            return self.fault(f"{name} in the path ({value}) and the body ({self.body[name]}) differ")
                return self.act(self.path)
            return self.fault(f"no such path {self.path}")

        def act(self, path):
            started = state["vm"] != "Not started"
            if path.startswith(PRE_BOOT_ONLY):
                if started:
                    return self.fault("the microVM is running: this resource is pre-boot only")
                state["configured"] = True
            elif path == "/actions":
                if self.body["action_type"] == "InstanceStart":
                    if started:
                        return self.fault("the microVM is already running")
                    state["vm"] = "Running"
            elif path == "/vm":
                if not started:
                    return self.fault("the microVM is not started")
                state["vm"] = "Paused" if self.body["state"] == "Paused" else "Running"
            elif path == "/snapshot/create":
                if state["vm"] != "Paused":
                    return self.fault("a snapshot needs a paused microVM")
                for key in ("snapshot_path", "mem_file_path"):
                    with open(self.body[key], "w") as f:
                        f.write(f"fake {key} of {args.id}\n")
            elif path == "/snapshot/load":
                if started or state["configured"]:
                    return self.fault("snapshot load is only accepted on a fresh process")
                if not os.path.exists(self.body["snapshot_path"]):
                    return self.fault("no snapshot at " + self.body["snapshot_path"])
                state["vm"] = "Running" if self.body.get("resume_vm") else "Paused"
            elif path == "/":
                return self.reply(200, {"id": args.id, "state": state["vm"], "vmm_version": "1.17.0-fake",
                                        "app_name": "Firecracker"})
            return self.reply(204)

        def do_GET(self):
            self.body = None
            self.handle_any()

        do_PUT = do_PATCH = do_POST = do_DELETE = handle_any

    class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
        daemon_threads = True

    if os.path.exists(args.api_sock):
        os.unlink(args.api_sock)
    with Server(args.api_sock, Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
