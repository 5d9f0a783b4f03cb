"""Benchmarks: print figures, never assert them (see README, "Benchmarks")."""
import resource
from pathlib import Path


def peak_mb() -> float:
    """This process's peak resident memory in MB. On Linux VmHWM of /proc/self/status: unlike
    ru_maxrss it starts afresh at exec, so a child started by a large parent does not report the
    parent's size."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
