"""Building extractors from settings: the checkpoint setting, the rules, clear refusals."""

from __future__ import annotations

import pytest

from ie.model.tagger import DEFAULT_CHECKPOINT, ModelTagger
from ie.pipeline import Extractor
from ie.rule_tagger import RuleTagger

from tests.shared import ROOT


def test_rules_settings_with_an_empty_checkpoint_build_the_rule_tagger():
    extractor = Extractor.from_settings({"name": "rules", "checkpoint": None, "skip_numberless": False})
    assert isinstance(extractor.tagger, RuleTagger) and extractor.skip_numberless is False


def test_a_checkpoint_with_the_rules_is_refused():
    with pytest.raises(ValueError, match="use extractor=model"):
        Extractor.from_settings({"name": "rules"}, checkpoint="somewhere")


def test_the_top_level_checkpoint_fills_an_empty_extractor_checkpoint(tmp_path):
    with pytest.raises(Exception, match=str(tmp_path)):  # not the shipped model: the named directory is read
        Extractor.from_settings({"name": "model", "checkpoint": None}, checkpoint=str(tmp_path))
    with pytest.raises(ValueError, match="two checkpoints"):
        Extractor.from_settings({"name": "model", "checkpoint": "a"}, checkpoint="b")


def test_an_empty_checkpoint_means_the_shipped_model():
    assert ModelTagger("").checkpoint == DEFAULT_CHECKPOINT
    with pytest.raises(ValueError, match="int8 ONNX only"):
        ModelTagger("", runtime="onnx")


def test_the_combined_extractor_is_the_rules_plus_the_models_spans_where_the_rules_have_none():
    text = (ROOT / "seeds" / "001_e668537ba56dba67.txt").read_text(encoding="utf-8")
    rules = [r.to_dict() for r in Extractor.from_config("rules").extract(text, "d")]
    unfilled = Extractor.from_settings({"name": "combined", "fill": [], "prefer": [], "checkpoint": None})
    assert [r.to_dict() for r in unfilled.extract(text, "d")] == rules
    combined = Extractor.from_config("combined", fill=["METRIC"], prefer=[])
    assert combined.tagger.name == "rules+model"
    spans = combined.extract_document(text, "d").spans
    rule_spans = Extractor.from_config("rules").extract_document(text, "d").spans
    for mine, theirs in zip(spans, rule_spans):
        assert set(theirs) <= set(mine) and all(s.label == "METRIC" for s in set(mine) - set(theirs))
    with pytest.raises(ValueError, match=r"fill and prefer labels \['PERSON'\] are not among"):
        Extractor.from_config("combined", fill=["PERSON"])
    with pytest.raises(ValueError, match=r"labels \['ORG'\] are both filled and preferred"):
        Extractor.from_config("combined", fill=["ORG"], prefer=["ORG"])


@pytest.mark.parametrize("name", ["rules", "model", "combined"])
def test_every_extractor_normalises_with_the_opencc_setting_asked_for(name):
    """normalization.opencc is never silently replaced by the model's own training setting."""
    for config in ("tw2s", "hk2s", None):
        assert Extractor.from_config(name, opencc_config=config).opencc_config == config


TEXT = ("2023年，全市公安机关破获刑事案件9700起，同比上升12.5%。8类暴力案件、侵财类案件、“两抢”案件分别下降21.9%、"
        "40.4%、93.9%。全市累计出动巡逻警力1.2万人次。")


def test_the_rules_give_every_record_their_constant_and_the_model_its_probabilities():
    from ie.rule_tagger import RULE_SCORE

    assert {r.confidence for r in Extractor.from_config("rules").extract(TEXT)} == {RULE_SCORE}
    scored = [r.confidence for r in Extractor.from_config("model").extract(TEXT)]
    assert len(scored) == 6 and all(0 < c <= 1 for c in scored) and len(set(scored)) > 1


def test_min_confidence_leaves_out_the_records_below_it():
    everything = Extractor.from_config("model").extract(TEXT)
    threshold = sorted(r.confidence for r in everything)[1]
    kept = Extractor.from_config("model", min_confidence=threshold).extract(TEXT)
    assert kept == [r for r in everything if r.confidence >= threshold] and 0 < len(kept) < len(everything)
    assert Extractor.from_config("rules", min_confidence=0.99).extract(TEXT) == []
