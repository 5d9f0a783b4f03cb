import pytest

import etl.build as b


@pytest.fixture
def extracted(monkeypatch):
    """Names of the documents extracted (not reused) by the builds of the test, in order (an
    in-process build, workers=1: a worker's extraction is not seen)."""
    names = []
    real = b.process_file

    def spy(path, override=None):
        names.append(path.name)
        return real(path, override)
    monkeypatch.setattr(b, "process_file", spy)
    return names
