"""Settings of a batch run checked before any work, each problem named with its key.

``batch_problems`` reads the scripts' predict config as a plain mapping (``input``, ``output``,
``engine``, ``ray``, ``extractor``, ``normalization``...); ``check_batch_settings`` raises one
``SettingsError`` listing every problem, so a run never starts on settings that would give
nothing (``extractor.batch_size=-3``) or silently do something else (``input=`` empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ie.extractor_options import OPTIONS, option_keys
from ie.model.tagger import RUNTIMES
from ie.schema import LABELS
from ie.text.normalize import LENGTH_PRESERVING_OPENCC

EXTRACTORS = tuple(OPTIONS)
ENGINES = ("local", "ray")
EXTRACTOR_KEYS = {name: option_keys(name) for name in OPTIONS}  # ie.extractor_options


class SettingsError(ValueError):
    """Settings that cannot give the run the user asked for; the message lists every problem."""


def _whole(value: Any, minimum: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def extractor_problems(extractor: Mapping[str, Any], opencc: Any) -> list[str]:
    problems = []
    name = extractor.get("name")
    if name not in EXTRACTORS:
        return [f"extractor.name={name}: one of {', '.join(EXTRACTORS)}"]
    for key in sorted(set(extractor) - EXTRACTOR_KEYS[name]):
        problems.append(f"extractor.{key}: not a setting of extractor={name} "
                        f"(its settings: {', '.join(sorted(EXTRACTOR_KEYS[name]))})")
    if "batch_size" in extractor and not _whole(extractor["batch_size"]):
        problems.append(f"extractor.batch_size={extractor['batch_size']}: a whole number of at least 1")
    if extractor.get("threads") is not None and not _whole(extractor["threads"]):
        problems.append(f"extractor.threads={extractor['threads']}: null (one per core) or a whole number of at least 1")
    if "runtime" in extractor and extractor["runtime"] not in RUNTIMES:
        problems.append(f"extractor.runtime={extractor['runtime']}: one of {', '.join(RUNTIMES)}")
    lists = {key: extractor.get(key) or [] for key in ("fill", "prefer")}
    for key, labels in lists.items():
        if not isinstance(labels, (list, tuple)) or not set(labels) <= set(LABELS):
            problems.append(f"extractor.{key}={labels}: a list of labels among {', '.join(LABELS)}")
    if all(isinstance(labels, (list, tuple)) for labels in lists.values()) and set(lists["fill"]) & set(lists["prefer"]):
        both = ", ".join(sorted(set(lists["fill"]) & set(lists["prefer"])))
        problems.append(f"extractor.fill and extractor.prefer both name {both}: name each label once")
    if not isinstance(extractor.get("skip_numberless", True), bool):
        problems.append(f"extractor.skip_numberless={extractor['skip_numberless']}: true or false")
    confidence = extractor.get("min_confidence")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))
                                   or not 0 <= confidence <= 1):
        problems.append(f"extractor.min_confidence={confidence}: null (keep every record) or a number from 0 to 1")
    if opencc is not None and opencc not in LENGTH_PRESERVING_OPENCC:
        problems.append(f"normalization.opencc={opencc}: null or one of {', '.join(LENGTH_PRESERVING_OPENCC)} "
                        f"(the conversions that keep the text's length, so that offsets stay exact)")
    return problems


def batch_problems(settings: Mapping[str, Any]) -> list[str]:
    """Every problem of a predict config (as a plain mapping)."""
    problems = []
    for key in ("input", "output"):
        if not _text(settings.get(key)) or settings.get(key) == "???":
            problems.append(f"{key}= is empty: name the {'file or folder to read' if key == 'input' else 'JSONL file to write'}")
    for key in ("resume", "recursive"):
        if not isinstance(settings.get(key, False), bool):
            problems.append(f"{key}={settings[key]}: true or false")
    if settings.get("progress") not in (None, True, False):
        problems.append(f"progress={settings['progress']}: null (on a terminal only), true or false")
    seconds = settings.get("document_seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0):
        problems.append(f"document_seconds={seconds}: null (no limit) or a number of seconds above 0")
    engine = settings.get("engine", "local")
    if engine not in ENGINES:
        problems.append(f"engine={engine}: one of {', '.join(ENGINES)}")
    if engine == "ray":
        ray = settings.get("ray") or {}
        for key in ("num_actors", "batch_size"):
            if not _whole(ray.get(key)):
                problems.append(f"ray.{key}={ray.get(key)}: a whole number of at least 1")
        if ray.get("address") is not None and not _text(ray["address"]):
            problems.append(f"ray.address={ray['address']}: null, auto or HOST:PORT")
        if settings.get("resume"):
            problems.append("resume=true needs engine=local: engine=ray always extracts the whole input")
    problems += extractor_problems(settings.get("extractor") or {}, (settings.get("normalization") or {}).get("opencc"))
    return problems


def check_batch_settings(settings: Mapping[str, Any]) -> None:
    problems = batch_problems(settings)
    if problems:
        raise SettingsError("settings that cannot run:\n" + "\n".join(f"  {problem}" for problem in problems))
