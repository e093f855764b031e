"""The digests' charts are real PNG images: the bars are where their values put them."""

import struct
import zlib

import pytest

from huddle.kit import png


def _pixels(data: bytes) -> list[list[tuple[int, int, int]]]:
    """Decode our own PNGs (8-bit RGB, one IDAT, filter 0), checking every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = body
        at += 12 + length
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 2) and b"IEND" in chunks
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 3 * width
    assert len(raw) == stride * height
    rows = []
    for y in range(height):
        line = raw[y * stride + 1 : (y + 1) * stride]
        rows.append([tuple(line[x * 3 : x * 3 + 3]) for x in range(width)])
    return rows  # type: ignore[return-value]


def test_bars_are_as_long_as_their_values_on_one_scale() -> None:
    image = _pixels(png.bars([[5, 10], [0, 2.5]], width=102, bar=4, gap=2))
    assert len(image[0]) == 102 and len(image) == 2 + 2 * (8 + 2)
    first_grey, first_blue = image[2], image[6]  # gap 2, then a bar 4 high per value
    assert first_grey[1:51] == [png.GREY] * 50 and first_grey[51] == png.BACKGROUND
    assert first_blue[1:101] == [png.BLUE] * 100  # the largest value fills the width
    second_blue = image[2 + 10 + 4]
    assert second_blue[1:26] == [png.BLUE] * 25 and second_blue[26] == png.BACKGROUND
    assert all(row[0] == png.AXIS for row in image)
    # Charts drawn one row each share a scale when given the same top.
    alone = _pixels(png.bars([[2.5]], top=10, width=102, bar=4, gap=2))
    assert alone[2][1:26] == [png.GREY] * 25 and alone[2][26] == png.BACKGROUND


def test_columns_rise_from_the_bottom() -> None:
    image = _pixels(png.columns([1, 4, 0], height=42, column=2, gap=1))
    assert len(image) == 42 and len(image[0]) == 1 + 3 * 3
    second = [row[4] for row in image]  # x = gap + column + gap
    assert second[:1] == [png.BACKGROUND] and second[1:41] == [png.BLUE] * 40
    first = [row[1] for row in image]
    assert first[:31] == [png.BACKGROUND] * 31 and first[31:41] == [png.BLUE] * 10
    assert image[41] == [png.AXIS] * len(image[0])
    with pytest.raises(ValueError):
        png.columns([])
