"""Bar charts as PNG images, for emails (mail clients show images, not scripts or SVG).

Bars only, no text: the words and figures sit beside the image in the HTML and in its alt
text, where a screen reader and a search can reach them. Pure Python (zlib and struct): a
chart of a digest is a few hundred bars at most.
"""

import struct
import zlib
from collections.abc import Sequence

Colour = tuple[int, int, int]
BLUE: Colour = (79, 70, 229)
GREY: Colour = (203, 213, 225)
BACKGROUND: Colour = (255, 255, 255)
AXIS: Colour = (148, 163, 184)


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [bytearray(bytes(BACKGROUND) * width) for _ in range(height)]

    def fill(self, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
        """Paint the pixels x0 <= x < x1, y0 <= y < y1 (clipped to the canvas)."""
        x0, x1 = max(0, x0), min(self.width, x1)
        y0, y1 = max(0, y0), min(self.height, y1)
        if x0 >= x1:
            return
        run = bytes(colour) * (x1 - x0)
        for y in range(y0, y1):
            self.rows[y][x0 * 3 : x1 * 3] = run

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)  # filter type 0 per row

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def bars(
    rows: Sequence[Sequence[float]],
    *,
    colours: Sequence[Colour] = (GREY, BLUE),
    width: int = 360,
    bar: int = 8,
    gap: int = 10,
    top: float | None = None,
) -> bytes:
    """Horizontal bars, one group per row (say, the 30 days before and the last 30), all on
    one scale from zero to `top` (the largest value unless given: charts of one row each,
    put beside their lines, share a scale by it). A row's values are drawn top to bottom in
    `colours`' order."""
    if not rows:
        raise ValueError("a chart needs at least one row")
    top = top or max((v for row in rows for v in row), default=0.0) or 1.0
    group = max(len(row) for row in rows) * bar
    canvas = _Canvas(width, len(rows) * (group + gap) + gap)
    for index, row in enumerate(rows):
        y = gap + index * (group + gap)
        for k, value in enumerate(row):
            length = round(max(value, 0.0) / top * (width - 2))
            canvas.fill(
                1, y + k * bar, 1 + length, y + (k + 1) * bar - 1, colours[k % len(colours)]
            )
    canvas.fill(0, 0, 1, canvas.height, AXIS)
    return canvas.png()


def columns(
    values: Sequence[float],
    *,
    colour: Colour = BLUE,
    height: int = 80,
    column: int = 24,
    gap: int = 8,
) -> bytes:
    """Vertical columns, left to right (say, one a week), from zero at the bottom."""
    if not values:
        raise ValueError("a chart needs at least one value")
    top = max(values) or 1.0
    canvas = _Canvas(gap + len(values) * (column + gap), height)
    for index, value in enumerate(values):
        tall = round(max(value, 0.0) / top * (height - 2))
        x = gap + index * (column + gap)
        canvas.fill(x, height - 1 - tall, x + column, height - 1, colour)
    canvas.fill(0, height - 1, canvas.width, height, AXIS)
    return canvas.png()
