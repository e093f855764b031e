import hashlib


def content_id(*parts: object) -> str:
    """An id for a record whose source gives none, made from what it says, so that sending
    or importing it again finds the same record instead of adding a copy. The one such
    function: evidence without an external id, and connectors' records, use it alike."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()
    return f"sha1:{digest[:20]}"
