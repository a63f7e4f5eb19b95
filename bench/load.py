"""Many users at once: 50 concurrent users for 60 s against a ~300-page index, through a real uvicorn
server, for the product's POST /v1/chat and for a plain dense LangChain RAG on the same index
(bench.plain_rag, served the same way).

    .venv/bin/python -m bench.load [--users 50] [--seconds 60] [--pages 300] [--slots 1000 4] [--workers 2]

A generated site (bench.ingest's varied course and employer pages) is served on 127.0.0.1 and ingested
into a fresh data dir; each server then runs in its own process (`connector serve`, `python -m
bench.plain_rag`) while the users, in this process, each ask a question, wait for the answer and ask the
next. Printed per server: requests, errors (non-200 or failed), throughput, p50/p95/p99 latency and the
server's peak memory (the peak resident sets of its processes, added up). The product runs with one API
process per core (--workers, default the machine's cores, as a deployment would); the plain RAG runs
as one process, the baseline as defined, and again with as many processes as the product, so the
comparison at equal processes is printed too. Targets (issue 13): zero errors, p95 <= 1 s, p99 <= 2 s,
throughput >= 1.2 x the plain RAG. Figures only. It keeps both cores busy for about 6 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.ingest import build_site, serve
from connector.settings import PROJECT_ROOT, Settings
from ingest.run import run_ingest

SUBJECTS = [
    "digital support technician", "welding and fabrication", "bookkeeping", "engineering maintenance",
    "hiring an apprentice", "the employer toolkit", "a level 3 apprenticeship", "a level 2 course",
    "apprenticeship funding", "part-time study",
]  # fmt: skip
ASKING = [
    "What does the {} course cover", "How long does {} take", "Who can apply for {}",
    "What will I learn on {}", "Where is {} taught", "How much does {} cost",
    "What qualification do I get from {}", "Can my employer pay for {}",
]  # fmt: skip
ASKERS = ["", " for my son", " near me", " this year", " as an adult", " for our staff"]
LIFTED = {"crawl_requests_per_second": 1000.0, "crawl_host_concurrency": 4, "crawl_concurrency": 8}


def questions() -> list[str]:
    """Distinct questions about the generated site (480 of them; users take turns through the list)."""
    return [a.format(s) + who + "?" for who in ASKERS for a in ASKING for s in SUBJECTS]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0

    def throughput(self) -> float:
        """Answers per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self, name: str) -> str:
        done = len(self.latencies)
        return (
            f"{name:<12} requests {done + sum(self.errors.values()):>5}  errors {sum(self.errors.values())}"
            f"{' ' + str(self.errors) if self.errors else ''}  {self.throughput():6.1f} req/s  "
            f"p50 {self.percentile(0.50) * 1000:6.0f} ms  p95 {self.percentile(0.95) * 1000:6.0f} ms  "
            f"p99 {self.percentile(0.99) * 1000:6.0f} ms  max {max(self.latencies, default=0) * 1000:6.0f} ms"
            f"  "
            f"peak RSS {self.peak_rss_mb:5.0f} MB"
        )


async def user(client: httpx.AsyncClient, url: str, pool: list[str], offset: int, until: float, out: Figures):
    n = offset
    while time.monotonic() < until:
        question = pool[n % len(pool)]
        n += 7  # users walk the list at different places
        started = time.monotonic()
        try:
            response = await client.post(url, json={"message": question})
        except httpx.HTTPError as error:
            out.error(type(error).__name__)
            continue
        if response.status_code == 200:
            out.latencies.append(time.monotonic() - started)
        else:
            out.error(str(response.status_code))


async def load(base_url: str, users: int, seconds: float) -> Figures:
    figures = Figures()
    pool = questions()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await client.post(f"{base_url}/v1/chat", json={"message": "What is an apprenticeship?"})  # warm
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(user(client, f"{base_url}/v1/chat", pool, n * len(pool) // users, until, figures)
              for n in range(users))
        )  # fmt: skip
        figures.seconds = time.monotonic() - started
    return figures


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB, added up with its child processes' (the API
    processes a server with several workers starts)."""
    total = 0.0
    for process in [pid, *children(pid)]:
        status = Path(f"/proc/{process}/status")
        lines = status.read_text().splitlines() if status.exists() else []
        total += sum(int(line.split()[1]) / 1024 for line in lines if line.startswith("VmHWM:"))
    return total


def children(pid: int) -> list[int]:
    """The process's descendants, from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        listed = task / "children"
        for child in (int(n) for n in listed.read_text().split()) if listed.exists() else []:
            found += [child, *children(child)]
    return found


def wait_ready(base_url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server not ready in time")


def run_server(command: list[str], env: dict[str, str], port: int, users: int, seconds: float) -> Figures:
    base_url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT
    )
    try:
        wait_ready(base_url, process)
        figures = asyncio.run(load(base_url, users, seconds))
        figures.peak_rss_mb = peak_rss_mb(process.pid)
        return figures
    finally:
        process.terminate()
        process.wait(timeout=60)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="API processes")
    parser.add_argument(
        "--slots",
        type=int,
        nargs="+",
        help="CONNECTOR_MAX_CONCURRENT_ANSWERS values to run the product with, in turn (the throughput "
        "ratio uses the last); default: the product's setting",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="connector-bench-load-") as folder:
        root, data = Path(folder) / "site", Path(folder) / "data"
        root.mkdir()
        build_site(root, args.pages)
        site, site_url = serve(root)
        settings = Settings(_env_file=None, data_dir=data, **LIFTED)  # type: ignore[call-arg]
        started = time.perf_counter()
        report = run_ingest(settings, [site_url], max_pages=args.pages + 1)
        site.shutdown()
        print(
            f"index: {report.pages['new']} pages, {report.chunks_added} chunks, "
            f"ingested in {time.perf_counter() - started:.0f} s; {args.users} users for {args.seconds:.0f} s",
            flush=True,
        )
        env = {key: value for key, value in os.environ.items() if not key.startswith("CONNECTOR_")}
        # Every simulated user asks from 127.0.0.1, so the per-client chat limit is lifted: the bench
        # measures answering, not the limiter.
        env.update(CONNECTOR_DATA_DIR=str(data), CONNECTOR_LOG_LEVEL="WARNING", CONNECTOR_CHAT_RATE="",
                   HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")  # fmt: skip
        connector = str(Path(sys.executable).parent / "connector")
        for slots in args.slots or [None]:
            port = free_port()
            serve_env = env if slots is None else {**env, "CONNECTOR_MAX_CONCURRENT_ANSWERS": str(slots)}
            command = [connector, "serve", "--host", "127.0.0.1", "--port", str(port),
                       "--workers", str(args.workers)]  # fmt: skip
            product = run_server(command, serve_env, port, args.users, args.seconds)
            name = "product" if slots is None else f"slots={slots}"
            print(product.line(f"{name} x{args.workers}"), flush=True)
        for workers in dict.fromkeys([1, args.workers]):
            port = free_port()
            command = [sys.executable, "-m", "bench.plain_rag", "--data-dir", str(data), "--port", str(port),
                       "--workers", str(workers)]  # fmt: skip
            plain = run_server(command, env, port, args.users, args.seconds)
            print(plain.line(f"plain RAG x{workers}"), flush=True)
            ratio = product.throughput() / max(1e-9, plain.throughput())
            target = " (target >= 1.2)" if workers == 1 else " (the same number of processes)"
            print(f"throughput product x{args.workers} / plain RAG x{workers}: {ratio:.2f}{target}")


if __name__ == "__main__":
    main()
