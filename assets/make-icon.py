# Draws the BookBytes package icon (assets/icon.png): an open book with sound waves, 128x128 RGBA PNG, with only zlib/struct.
# Run: python3 assets/make-icon.py
import math, os, struct, zlib
N = 128
S = 4  # supersampling per axis
bg, page, spine, wave = (22, 78, 99), (250, 247, 238), (22, 78, 99), (246, 166, 35)

def inside_rounded(x, y, r=24):
    cx = min(max(x, r), N - r); cy = min(max(y, r), N - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def color(x, y):
    if not inside_rounded(x, y):
        return None
    # Two pages, slightly tilted up at the outer edges, meeting at a spine at x=64.
    for side in (-1, 1):
        dx = (x - 64) * side
        if 2 <= dx <= 40:
            top = 40 - dx * 0.18
            bottom = 92 - dx * 0.05
            if top <= y <= bottom:
                # Lines of text on the pages.
                if 8 <= dx <= 34 and any(abs(y - (top + 10 + 9 * k)) < 1.6 for k in range(4)):
                    return (180, 196, 204)
                return page
    if abs(x - 64) < 2 and 38 <= y <= 94:
        return spine
    # Sound waves above the book, centred on the spine.
    d = math.hypot(x - 64, y - 44)
    ang = math.degrees(math.atan2(44 - y, x - 64))
    if 50 <= ang <= 130:
        for r in (14, 24):
            if abs(d - r) < 2.6 and y < 34:
                return wave
    return bg

rows = []
for py in range(N):
    row = bytearray([0])
    for px in range(N):
        acc = [0, 0, 0, 0]
        for sy in range(S):
            for sx in range(S):
                c = color(px + (sx + 0.5) / S, py + (sy + 0.5) / S)
                if c is not None:
                    acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
        n = S * S
        a = acc[3] // n
        if a:
            k = acc[3] // 255
            row += bytes([acc[0] // k, acc[1] // k, acc[2] // k, a])
        else:
            row += bytes([0, 0, 0, 0])
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb").write(png)
