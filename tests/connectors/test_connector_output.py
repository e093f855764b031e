"""What connectors read merges whole: a data export's files become one import."""

from dataclasses import fields

from huddle.connectors.base import ConnectorOutput


def test_extend_merges_every_field() -> None:
    """Every list field is extended and every count summed, so a field added to
    `ConnectorOutput` later is never dropped where outputs are merged."""
    first, second = ConnectorOutput(), ConnectorOutput()
    for each in fields(ConnectorOutput):
        if isinstance(getattr(first, each.name), list):
            getattr(first, each.name).append(f"first {each.name}")
            getattr(second, each.name).append(f"second {each.name}")
        else:
            setattr(first, each.name, 2)
            setattr(second, each.name, 3)
    first.extend(second)
    for each in fields(ConnectorOutput):
        value = getattr(first, each.name)
        if isinstance(value, list):
            assert value == [f"first {each.name}", f"second {each.name}"]
        else:
            assert value == 5, each.name
