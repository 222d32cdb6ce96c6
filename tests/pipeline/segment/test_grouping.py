import pytest

from pipeline.errors import Errors, TelaahError
from pipeline.segment.grouping import GroupingConfig, Sentence, group_sentences


def _s(words: int, opening: str = "dan juga") -> Sentence:
    return Sentence(0, 0, words, opening)


def test_fragments_join_their_neighbour() -> None:
    groups = group_sentences([_s(1, "iya"), _s(12, "pelayanan di sini")], GroupingConfig())
    assert [len(g) for g in groups] == [2]


def test_trailing_fragment_joins_the_previous_unit() -> None:
    groups = group_sentences([_s(40, "data kami"), _s(2, "begitu pak")], GroupingConfig())
    assert [len(g) for g in groups] == [2]


def test_long_monologue_is_split_at_point_markers_and_size() -> None:
    sentences = [
        _s(20, "data dtks itu"),
        _s(15, "jadi kami"),
        _s(18, "selain itu pegawai"),
        _s(25, "mereka"),
    ]
    sentences += [_s(30, "kemudian anggaran"), *[_s(30, "dan juga") for _ in range(4)]]
    groups = group_sentences(sentences, GroupingConfig())
    assert [len(g) for g in groups][:2] == [2, 2]
    assert all(sum(s.words for s in g) <= 90 for g in groups)
    assert sum(len(g) for g in groups) == len(sentences)


def test_a_single_very_long_sentence_stays_whole() -> None:
    assert [len(g) for g in group_sentences([_s(150)], GroupingConfig())] == [1]


def test_inconsistent_settings_are_refused() -> None:
    with pytest.raises(TelaahError) as info:
        GroupingConfig(min_words=40, target_words=30).check()
    assert info.value.code is Errors.E201
