"""an index of the evidence's words: SQLite FTS5, PostgreSQL GIN over a stored tsvector

The inbox's and the API's search by words (`q`) read every text with LIKE: ~250 ms at a
million items. Both databases now keep an index of the words of `feedback.text` (the text
as stored, PII already masked: the text the inbox shows) and read the same words out of it:
runs of letters and digits, whatever their case, with the accents of Latin letters removed
the way SQLite's `unicode61 remove_diacritics 2` removes them (huddle.kit.words says how a
search is read).

SQLite: `feedback_words`, an FTS5 table over the text that reads it from `feedback`
(external content: the words are stored once, in the index), kept by triggers in the same
transaction as every insert, update and delete of evidence, whatever made it (the ORM, a
bulk Core statement, an undo, an import, psql). SQLite drops a table's triggers when a
migration rebuilds the table (batch mode with recreate): a later migration that rebuilds
`feedback` must create these triggers again (tests/feedback/test_words_index.py checks they
exist at the latest revision), and `huddle reindex` rebuilds the index from the texts.

PostgreSQL: `feedback.words`, a stored generated tsvector of `huddle_words(text)`, and a
GIN index over it; PostgreSQL keeps both itself. Its tokenizer (the `simple` configuration)
would read `export.csv` or `a@b.com` as one token, and keeps accents: `huddle_words_text`
first removes the accents SQLite removes (the same letters, a table generated from SQLite's
tokenizer and checked against it by the tests) and turns every ASCII character other than
a letter or a digit into a space. The column is no model's: `alembic check` leaves it be.

Revision ID: 20261203_0025
Revises: 20261203_0024
Create Date: 2026-12-03 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0025"
down_revision: str | None = "20261203_0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE feedback_words USING fts5("
    "text, content='feedback', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', "
    # No table of each text's length in words: only a ranking by relevance reads it, and
    # the inbox sorts by date.
    "columnsize=0)"
)
REMOVE = (
    "INSERT INTO feedback_words(feedback_words, rowid, text) VALUES ('delete', OLD.id, OLD.text)"
)
ADD = "INSERT INTO feedback_words(rowid, text) VALUES (NEW.id, NEW.text)"
# name, timing and event, SQLite WHEN condition (or ""), statements
SQLITE_TRIGGERS = (
    ("feedback_words_added", "AFTER INSERT", "", (ADD,)),
    ("feedback_words_removed", "AFTER DELETE", "", (REMOVE,)),
    (
        "feedback_words_changed",
        "AFTER UPDATE OF id, text",
        "OLD.id IS NOT NEW.id OR OLD.text IS NOT NEW.text",
        (REMOVE, ADD),
    ),
)

# The Latin letters whose accents SQLite's unicode61 tokenizer removes (remove_diacritics 2),
# by the letter it leaves, and the combining accents it drops; generated from SQLite's
# tokenizer (tests/feedback/test_words_index.py compares them with it).
UNACCENTED = {
    "a": "ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặÅ",
    "b": "ḂḃḄḅḆḇ",
    "c": "ÇçĆćĈĉĊċČčḈḉ",
    "d": "ĎďḊḋḌḍḎḏḐḑḒḓ",
    "e": "ÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ",
    "f": "Ḟḟ",
    "g": "ĜĝĞğĠġĢģǦǧǴǵḠḡ",
    "h": "ĤĥȞȟḢḣḤḥḦḧḨḩḪḫẖ",
    "i": "ÌÍÎÏìíîïĨĩĪīĬĭĮįİǏǐȈȉȊȋḬḭḮḯỈỉỊị",
    "j": "Ĵĵǰ",
    "k": "ĶķǨǩḰḱḲḳḴḵ",
    "l": "ĹĺĻļĽľḶḷḸḹḺḻḼḽ",
    "m": "ḾḿṀṁṂṃ",
    "n": "ÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ",
    "o": "ÒÓÔÕÖòóôõöŌōŎŏŐőƠơǑǒǪǫǬǭȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ",
    "p": "ṔṕṖṗ",
    "r": "ŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ",
    "s": "ŚśŜŝŞşŠšȘșṠṡṢṣṤṥṦṧṨṩẛ",
    "t": "ŢţŤťȚțṪṫṬṭṮṯṰṱẗ",
    "u": "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰự",
    "v": "ṼṽṾṿ",
    "w": "ŴŵẀẁẂẃẄẅẆẇẈẉẘ",
    "x": "ẊẋẌẍ",
    "y": "ÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹ",
    "z": "ŹźŻżŽžẐẑẒẓẔẕ",
}
COMBINING_ACCENTS = (
    "\u0300\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030f"
    "\u0311\u031b\u0323\u0324\u0325\u0326\u0327\u0328\u032d\u032e\u0330\u0331"
)
# PostgreSQL's translate() compares each character of a text with each one it replaces:
# with all 513 at once it took 0.2 ms a text. So the text is put in lower case first (the
# 246 lower-case letters are left to replace) and translated a Unicode block at a time, only
# where it holds a letter of that block: 13 µs a text in English, 37 µs in French.
LOWER = {
    accented: letter
    for letter, run in UNACCENTED.items()
    for accented in run
    if accented == accented.lower()
}
BLOCKS = ((0xE0, 0xFF), (0x100, 0x17F), (0x180, 0x24F), (0x1E00, 0x1EFF))
# Between words: every ASCII character other than a letter or a digit, and the accent marks
# SQLite does not drop (it reads them as separators).
SEPARATORS = "[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f\\u0300-\\u036f]+"


def _unaccented(lowered: str, schema: str) -> str:
    """SQL of `lowered` with the accents of each block's letters removed, then the
    combining accents; each step only where the text holds a character it replaces."""
    steps = [{a: p for a, p in LOWER.items() if low <= ord(a) <= high} for low, high in BLOCKS]
    for step in [*steps, dict.fromkeys(COMBINING_ACCENTS, "")]:
        accented, plain = "".join(step), "".join(step.values())
        lowered = f"{schema}.huddle_unaccent_block({lowered}, '{accented}', '{plain}')"
    return lowered


def _postgres_functions(schema: str) -> list[str]:
    """The functions, each naming the others with their schema: a restore (pg_restore sets
    an empty search_path) computes the words of every row it loads with them."""
    return [
        """
CREATE FUNCTION huddle_unaccent_block(words text, accented text, plain text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN words ~ ('[' || accented || ']')
        THEN translate(words, accented, plain) ELSE words END
$$
""",
        f"""
CREATE FUNCTION huddle_unaccented(lowered text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN lowered ~ '[{"".join(LOWER)}{COMBINING_ACCENTS}]'
        THEN {_unaccented("lowered", schema)} ELSE lowered END
$$
""",
        f"""
CREATE FUNCTION huddle_words_text(words text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT regexp_replace(
        {schema}.huddle_unaccented(lower(words)), '{SEPARATORS}', ' ', 'g'
    )
$$
""",
        f"""
CREATE FUNCTION huddle_words(words text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, {schema}.huddle_words_text(words))
$$
""",
        # Each phrase typed, its last word a prefix; all of them. NULL when none holds a word.
        f"""
CREATE FUNCTION huddle_words_query(phrases text[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_agg('(' || phrase || ':*)', ' & ')::tsquery
    FROM (
        SELECT phraseto_tsquery('simple'::regconfig, {schema}.huddle_words_text(typed))::text
            AS phrase
        FROM unnest(phrases) AS typed
    ) AS read
    WHERE phrase <> ''
$$
""",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_INDEX)
        for name, timing, when, statements in SQLITE_TRIGGERS:
            condition = f" WHEN {when}" if when else ""
            body = "".join(f"{statement}; " for statement in statements)
            op.execute(
                f"CREATE TRIGGER {name} {timing} ON feedback FOR EACH ROW{condition} "
                f"BEGIN {body}END"
            )
        # The texts already stored, read once in rowid order.
        op.execute("INSERT INTO feedback_words(feedback_words) VALUES ('rebuild')")
        return
    schema = op.get_bind().execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    for function in _postgres_functions(schema):
        op.execute(function)
    # Stored, not only indexed: a plan that reads the newest items and keeps the matching
    # ones (a common word) reads each one's words (1 µs) instead of computing them (30-70 µs).
    op.execute(
        "ALTER TABLE feedback ADD COLUMN words tsvector "
        f"GENERATED ALWAYS AS ({schema}.huddle_words(text)) STORED"
    )
    op.execute("CREATE INDEX ix_feedback_words ON feedback USING gin (words)")
    # The planner takes a word missing from its statistics for one in half as many texts as
    # the rarest word it lists: with the default 1,000 words listed, a word in no text for
    # one in 0.25% of them, for which it read the newest of a million items (1.1 s at 1M).
    # With 10,000 listed it looks such a word up in the index (6 ms).
    op.execute("ALTER TABLE feedback ALTER COLUMN words SET STATISTICS 1000")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, *_ in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS feedback_words")
        return
    op.execute("DROP INDEX IF EXISTS ix_feedback_words")
    op.execute("ALTER TABLE feedback DROP COLUMN IF EXISTS words")
    op.execute("DROP FUNCTION IF EXISTS huddle_words_query(text[])")
    op.execute("DROP FUNCTION IF EXISTS huddle_words(text)")
    op.execute("DROP FUNCTION IF EXISTS huddle_words_text(text)")
    op.execute("DROP FUNCTION IF EXISTS huddle_unaccented(text)")
    op.execute("DROP FUNCTION IF EXISTS huddle_unaccent_block(text, text, text)")
