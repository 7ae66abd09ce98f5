"""Cold start of the preprocess function and of the web app, measured from process start.

function: starts the emulator, uploads raw files, and for each run starts the function binary against a loopback
Lambda Runtime API (this script) that hands it two S3 events in turn: the first is handled cold (process start, init,
first event), the second warm. The start-up cost is the first event's time from process start less the warm
event's time: what a cold start adds to handling one event. Times are taken on this script's clock when the process is spawned and when its
requests reach the Runtime API.
web: starts the published web app with a model file and polls /health/ready every 2 ms, then asks one prediction
twice (the first one cold, the second warm).

usage: coldstart.py function NAME=BINARY... --runs N --data DIR --node NODE --emulator MJS
       coldstart.py web NAME=WEB_DLL=MODEL_ZIP... --runs N --body JSON
"""
import argparse
import http.client
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API = "/2018-06-01/runtime/invocation/"


class RuntimeApi(ThreadingHTTPServer):
    """The Runtime API of one function process: events to hand out, and the time of every request."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RuntimeHandler)
        self.events = queue.Queue()
        self.marks = queue.Queue()
        self.closing = threading.Event()

    def handle_error(self, request, client_address):
        pass  # the function is killed while its long poll for a third event is open

    @property
    def address(self):
        return f"127.0.0.1:{self.server_address[1]}"


class RuntimeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        now = time.perf_counter()
        if self.path != API + "next":
            return self.answer(404, b"")
        self.server.marks.put(("next", now, None))
        while not self.server.closing.is_set():
            try:
                request_id, body = self.server.events.get(timeout=0.05)
                break
            except queue.Empty:
                continue
        else:
            return
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 900_000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:bench")
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        now = time.perf_counter()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        kind = "response" if self.path.endswith("/response") else "error"
        self.server.marks.put((kind, now, body))
        self.answer(202, b"{}")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def s3_event(bucket, key, etag, size):
    from urllib.parse import quote_plus
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": "2026-11-29T12:00:00.000Z", "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "bench",
               "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": "/".join(quote_plus(p) for p in key.split("/")), "size": size,
                          "eTag": etag.strip('"'), "sequencer": "0A1B2C3D4E5F678901"}}}]}).encode()


def peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def mark(api, expected, timeout=120):
    kind, at, body = api.marks.get(timeout=timeout)
    if kind != expected:
        raise SystemExit(f"expected a {expected} from the function, got {kind}: {body!r}")
    if kind == "response":
        outcome = json.loads(body)["results"][0]["outcome"]
        if outcome != "prepared":
            raise SystemExit(f"the function did not prepare the file: {body!r}")
    return at


def start_emulator(node, script):
    process = subprocess.Popen([node, "--no-warnings", script], env={**os.environ, "FAUXQS_PORT": "0"},
                               stdout=subprocess.PIPE, text=True)
    port = json.loads(process.stdout.readline())["port"]
    return process, port


def run_function(args):
    import boto3
    from botocore.config import Config
    emulator, port = start_emulator(args.node, args.emulator)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(s3={"addressing_style": "path"}))
        for bucket in ("bench-raw", "bench-ready"):
            s3.create_bucket(Bucket=bucket)
        files = {"100 rows": small_file(args.data), "80s file": os.path.join(args.data, "dataset-of-80s.csv")}
        rows = {name: sum(1 for _ in open(path, encoding="utf-8")) - 1 for name, path in files.items()}
        environment = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "CHARTBUSTER_RAW_BUCKET": "bench-raw", "CHARTBUSTER_READY_BUCKET": "bench-ready",
                       "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
        results = []
        for run in range(args.runs):
            for name, binary in (target.split("=", 1) for target in args.targets):  # interleaved: same load for both
                for file_name, path in files.items():
                    results.append(function_run(s3, environment, name, binary, file_name, path, run))
        print(f"| binary | input | runs | init ms | first event handled ms | cold event ms | warm event ms | start-up cost ms | peak RSS MB | load |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name in (target.split("=", 1)[0] for target in args.targets):
            for file_name in files:
                mine = [r for r in results if r["name"] == name and r["file"] == file_name]
                med = lambda key: statistics.median(r[key] for r in mine)
                print(f"| {name} | {file_name} ({rows[file_name]:,} rows) | {len(mine)} | {med('init'):.1f} | "
                      f"{med('first'):.1f} | {med('cold'):.1f} | {med('warm'):.1f} | {med('cost'):.1f} | {med('rss'):.0f} | {os.getloadavg()[0]:.2f} |")
    finally:
        emulator.terminate()
        emulator.wait()


def small_file(data):
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "chartbuster-coldstart-100.csv")
    with open(os.path.join(data, "dataset-of-80s.csv"), encoding="utf-8") as source, open(path, "w", encoding="utf-8") as small:
        for index, line in enumerate(source):
            if index > 100:
                break
            small.write(line)
    return path


def function_run(s3, environment, name, binary, file_name, path, run):
    events = []
    for turn in ("cold", "warm"):
        key = f"coldstart/{name}/{run}-{turn}-{os.path.basename(path)}"
        with open(path, "rb") as body:
            etag = s3.put_object(Bucket="bench-raw", Key=key, Body=body)["ETag"]
        events.append(s3_event("bench-raw", key, etag, os.path.getsize(path)))
    api = RuntimeApi()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    for index, event in enumerate(events):
        api.events.put((f"bench-{run}-{index}", event))
    started = time.perf_counter()
    process = subprocess.Popen([binary], env={**environment, "AWS_LAMBDA_RUNTIME_API": api.address},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        init = mark(api, "next") - started
        first = mark(api, "response") - started
        next_warm = mark(api, "next")
        warm = mark(api, "response") - next_warm
        rss = peak_rss_mb(process.pid)
    finally:
        process.kill()
        process.wait()
        api.closing.set()
        api.shutdown()
        api.server_close()
    return {"name": name, "file": file_name, "init": init * 1000, "first": first * 1000,
            "cold": (first - init) * 1000, "warm": warm * 1000, "cost": (first - warm) * 1000, "rss": rss}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run_web(args):
    body = open(args.body, "rb").read()
    results = []
    for run in range(args.runs):
        for name, dll, model in (target.split("=", 2) for target in args.targets):
            results.append(web_run(dll, name, model, body))
    print("| web app build, model | runs | /health/ready ms | first prediction ms | warm prediction ms | peak RSS MB | load |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in (target.split("=", 1)[0] for target in args.targets):
        mine = [r for r in results if r["name"] == name]
        med = lambda key: statistics.median(r[key] for r in mine)
        print(f"| {name} | {len(mine)} | {med('ready'):.0f} | {med('first'):.1f} | {med('warm'):.2f} | {med('rss'):.0f} | {os.getloadavg()[0]:.2f} |")


def web_run(dll, name, model, body):
    port = free_port()
    environment = {**os.environ, "CHARTBUSTER_MODEL_PATH": model, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}", "--contentRoot", os.path.dirname(dll)],
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = None
        while time.perf_counter() - started < 120:
            if process.poll() is not None:
                raise SystemExit(f"the web app exited with {process.returncode} before it was ready")
            try:
                if request(port, "GET", "/health/ready")[0] == 200:
                    ready = time.perf_counter() - started
                    break
            except OSError:
                pass
            time.sleep(0.002)
        if ready is None:
            raise SystemExit("the web app was not ready within 120 s")
        timings = []
        for _ in range(2):
            before = time.perf_counter()
            status, answer = request(port, "POST", "/api/predictions", body)
            if status != 200:
                raise SystemExit(f"the prediction failed: {status} {answer[:300]!r}")
            timings.append(time.perf_counter() - before)
        rss = peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait()
    return {"name": name, "ready": ready * 1000, "first": timings[0] * 1000, "warm": timings[1] * 1000, "rss": rss}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["function", "web"])
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--data")
    parser.add_argument("--node")
    parser.add_argument("--emulator")
    parser.add_argument("--body")
    args = parser.parse_args()
    (run_function if args.what == "function" else run_web)(args)


if __name__ == "__main__":
    sys.exit(main())
