"""How a search by words is read: phrases of letters and digits, nothing typed is syntax."""

from huddle.kit.words import MOST_WORDS, fts5_query, search_phrases


def test_words_between_spaces_are_phrases_and_punctuation_is_not_syntax() -> None:
    assert search_phrases("  Exports  time-out ") == ["Exports", "time out"]
    assert search_phrases('"user_id" NEAR(a b) -x col:y x* 50%') == [
        "user id",
        "NEAR a",
        "b",
        "x",
        "col y",
        "50",
    ]
    assert search_phrases("can\u2019t log in") == ["can t", "log", "in"]
    assert search_phrases("% * - : \" ' \\ () {} ^ <-> :*") == []
    assert search_phrases("") == []
    # The same phrase twice is one; a separate accent mark stays with its letter.
    assert search_phrases("sso SSO sso") == ["sso", "SSO"]
    assert search_phrases("re\u0301sume\u0301") == ["r\u00e9sum\u00e9"]
    assert search_phrases("数据导出\uff0c很慢 Łódź") == ["数据导出 很慢", "Łódź"]


def test_a_pasted_paragraph_is_searched_by_its_first_words() -> None:
    typed = " ".join(f"w{n}" for n in range(100))
    phrases = search_phrases(typed)
    assert phrases == [f"w{n}" for n in range(MOST_WORDS)]
    hyphenated = search_phrases(" ".join(f"a{n}-b{n}-c{n}" for n in range(20)))
    assert [len(p.split()) for p in hyphenated] == [3] * 10 + [2]


def test_fts5_spelling_quotes_every_phrase_as_a_prefix() -> None:
    assert fts5_query(["user id", "NEAR a b", "50"]) == '"user id"* "NEAR a b"* "50"*'
