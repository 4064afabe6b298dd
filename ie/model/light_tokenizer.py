"""A checkpoint's fast tokenizer through the ``tokenizers`` library alone.

Tagging needs only ids, offsets, pieces and the special ids; loading them with
``tokenizers`` keeps transformers (and with it torch) out of the extraction process:
the int8 ONNX path then runs on numpy, ONNX Runtime and tokenizers. A test checks that
it tokenises every seed sentence exactly as ``AutoTokenizer`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class LightTokenizer:
    """The subset of a Hugging Face fast tokenizer that ``ie.model.alignment`` and tagging use."""

    def __init__(self, directory: str | Path) -> None:
        from tokenizers import Tokenizer

        directory = Path(directory)
        self.backend = Tokenizer.from_file(str(directory / "tokenizer.json"))
        config_file = directory / "tokenizer_config.json"
        config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.exists() else {}
        self.cls_token_id = self._special(config, "cls_token", "<s>")
        self.sep_token_id = self._special(config, "sep_token", "</s>")
        self.pad_token_id = self._special(config, "pad_token", "<pad>")

    def _special(self, config: dict[str, Any], key: str, default: str) -> int:
        token = config.get(key, default)
        token = token["content"] if isinstance(token, dict) else token
        token_id = self.backend.token_to_id(token)
        if token_id is None:
            raise ValueError(f"the tokenizer has no {key} {token!r}")
        return token_id

    def __call__(self, text: str, *, add_special_tokens: bool = False,
                 return_offsets_mapping: bool = True) -> dict[str, list]:
        encoding = self.backend.encode(text, add_special_tokens=add_special_tokens)
        return {"input_ids": encoding.ids, "offset_mapping": encoding.offsets}

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self.backend.id_to_token(i) for i in ids]

    def get_vocab(self) -> dict[str, int]:
        return self.backend.get_vocab()
