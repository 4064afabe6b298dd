"""Test-wide settings: the ``slow`` marker for multi-process, Ray, training and build tests.

CI runs every test; ``python -m pytest -m "not slow"`` gives a quick run while editing.
"""

from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: multi-process, Ray, training or build tests (seconds to minutes)")
