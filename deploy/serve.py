"""Serve the dashboard from N app processes behind nginx: ``python -m deploy.serve --processes 2``.

    python -m deploy.serve [--processes 2] [--port 8501] [--address 0.0.0.0] [--run-dir DIR]

One Streamlit process runs every session's script on one Python interpreter, so on a machine with
C cores it uses little more than one of them, and eight viewers queue behind each other. This
starts ``--processes`` ``python -m ui.serve`` processes on loopback ports ``port+1 …`` and one
nginx (Debian's package ``nginx``) on ``--address:--port`` that keeps each browser on one process
(a cookie naming its process, see deploy/nginx.conf.in) and passes the websocket through. Every process reads the same
warehouse (``FAZHI_DB`` / ``FAZHI_HOME``, the link to the current generation), so a new build
reaches all of them on their next rerun; each holds its own copy of the warehouse frames, so memory
grows by one app process per process. The processes share one cookie secret, so a signed cookie or
an upload token of one process is valid in the others. Ctrl-C (or SIGTERM) stops them all.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.in"


def nginx_binary() -> str | None:
    """Path of the nginx program (PATH, then /usr/sbin), or None when it is not installed."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def nginx_config(listen: str, backends: list[int], run_dir: Path) -> str:
    """The nginx configuration text: ``listen`` ('ADDRESS:PORT'), the app processes' loopback
    ports, ``run_dir`` for nginx's pid, logs and temporary files."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in backends)
    pinned = "\n".join(f"    upstream fazhi_{p} {{\n        server 127.0.0.1:{p};\n    }}" for p in backends)
    cookie_map = "\n".join(f'        "127.0.0.1:{p}" fazhi_{p};' for p in backends)
    return (TEMPLATE.read_text(encoding="utf-8").replace("@SERVERS@", servers).replace("@PINNED@", pinned)
            .replace("@MAP@", cookie_map).replace("@LISTEN@", listen).replace("@RUN@", str(run_dir)))


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Poll ``url``/_stcore/health until it answers; RuntimeError when ``proc`` ends first or time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"服务进程已退出 (the process serving {url} exited with {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"服务未在 {timeout:.0f} 秒内启动 ({url} did not answer within {timeout:.0f} s)")


def app_process(port: int, env: dict, log=subprocess.DEVNULL, extra: list[str] | None = None) -> subprocess.Popen:
    """One ``python -m ui.serve`` on 127.0.0.1:``port`` (headless, no usage statistics)."""
    return subprocess.Popen([sys.executable, "-m", "ui.serve", "--server.port", str(port), "--server.address",
                             "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
                             *(extra or [])], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


class Deployment:
    """``processes`` app processes behind one nginx, started by :meth:`start`, stopped by :meth:`stop`
    (or as a context manager). ``url`` is nginx's address; ``backends`` the app processes' ports;
    ``pids`` the app processes' and nginx's process ids (for memory figures). ``log``: where the
    processes' output goes (a file object or subprocess.DEVNULL; None: ``app-PORT.log`` and
    ``nginx.log`` in ``run_dir``)."""

    def __init__(self, processes: int = 2, port: int = 8501, address: str = "127.0.0.1",
                 run_dir: Path | None = None, env: dict | None = None, log=subprocess.DEVNULL,
                 extra: list[str] | None = None):
        self.processes, self.port, self.address = processes, port, address
        self.backends = [port + 1 + i for i in range(processes)]
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self._own_dir = run_dir is None
        self.run_dir = Path(tempfile.mkdtemp(prefix="fazhi-nginx-")) if run_dir is None else Path(run_dir)
        self.log, self.extra = log, extra
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        host = "127.0.0.1" if address in ("0.0.0.0", "") else address
        self.url = f"http://{host}:{port}"

    def start(self) -> "Deployment":
        """Start the app processes (one per backend port, each checked healthy) and nginx in front,
        writing ``run_dir/nginx.conf``; returns self. Raises RuntimeError when nginx is not
        installed or a process does not come up (everything started is stopped first)."""
        nginx = nginx_binary()
        if nginx is None:
            raise RuntimeError("未安装 nginx：请运行 apt-get install nginx (nginx is not installed: apt-get install nginx)")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(nginx_config(f"{self.address}:{self.port}", self.backends, self.run_dir), encoding="utf-8")
        logs = ([open(self.run_dir / f"app-{p}.log", "ab") for p in self.backends] + [open(self.run_dir / "nginx.log", "ab")]
                if self.log is None else [self.log] * (self.processes + 1))
        try:
            self.apps = [app_process(p, self.env, out, self.extra) for p, out in zip(self.backends, logs)]
            for p, proc in zip(self.backends, self.apps):
                wait_healthy(f"http://127.0.0.1:{p}", proc)
            self.nginx = subprocess.Popen([nginx, "-p", str(self.run_dir), "-e", str(self.run_dir / "error.log"),
                                           "-c", str(conf), "-g", "daemon off;"], stdout=logs[-1], stderr=subprocess.STDOUT)
            wait_healthy(self.url, self.nginx, timeout=20)
        except BaseException:
            self.stop()
            raise
        finally:
            for f in logs:
                if f is not self.log:
                    f.close()          # the children keep their own copies
        return self

    @property
    def pids(self) -> list[int]:
        """Process ids of the app processes, then nginx's (when started)."""
        return [p.pid for p in self.apps] + ([self.nginx.pid] if self.nginx else [])

    def sessions_per_backend(self) -> dict[str, int]:
        """Websocket sessions nginx passed to each app process so far ('127.0.0.1:PORT' → count),
        read from nginx's access log (written when a connection closes)."""
        counts = {f"127.0.0.1:{p}": 0 for p in self.backends}
        log = self.run_dir / "access.log"
        for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else []:
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "/_stcore/stream" and parts[0] in counts:
                counts[parts[0]] += 1
        return counts

    def stop(self) -> None:
        """Terminate nginx and the app processes (killed after 20 s), and remove a run folder this
        deployment created itself. Safe to call twice."""
        for proc in ([self.nginx] if self.nginx else []) + self.apps:
            if proc.poll() is None:
                proc.terminate()
        for proc in ([self.nginx] if self.nginx else []) + self.apps:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._own_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> "Deployment":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """Start the deployment and wait until Ctrl-C, SIGTERM or one of its processes exits."""
    ap = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n\n")[0])
    ap.add_argument("--processes", type=int, default=max(2, os.cpu_count() or 1),
                    help="app processes (default: the number of cores, at least 2)")
    ap.add_argument("--port", type=int, default=8501, help="nginx's port; the app processes use the next ones")
    ap.add_argument("--address", default="0.0.0.0", help="nginx's address (the app processes listen on loopback)")
    ap.add_argument("--run-dir", type=Path, help="folder for nginx's configuration, pid and logs (default: a temporary one)")
    a, extra = ap.parse_known_args(argv)
    dep = Deployment(a.processes, a.port, a.address, a.run_dir, log=None, extra=extra)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        dep.start()
        print(f"看板已启动 (dashboard up): {dep.url} → {a.processes} 个进程 (processes) on ports "
              f"{', '.join(map(str, dep.backends))}; configuration and logs in {dep.run_dir}", flush=True)
        while all(p.poll() is None for p in [*dep.apps, dep.nginx]):
            time.sleep(1)
        print("有进程退出，全部停止 (a process exited; stopping all)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 1
    finally:
        dep.stop()


if __name__ == "__main__":
    sys.exit(main())
