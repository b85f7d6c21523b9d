"""Draw the demo's pictures with Pillow: abstract covers and avatars, no downloads.

Every picture is decided by a seed string (an article's or author's slug), so a
second run draws exactly the same image. Covers come in three styles: eight-point
stars and six-point stars after Islamic tile geometry, and layered hills under a
low sun; colours come from the article's section.
"""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

COVER_SIZE = (1200, 675)
AVATAR_SIZE = 400
_SUPERSAMPLE = 2

STYLES = ("stars8", "stars6", "hills")

# How each style is described in an image's title (its alt text); {colours} names the section's colours.
STYLE_DESCRIPTIONS = {
    "stars8": "نجوم ثمانية متشابكة {colours} على خلفية متدرّجة، مستوحاة من البلاط الإسلامي",
    "stars6": "نجوم سداسية داخل شبكة من المسدّسات {colours}، على طريقة الزخرفة الهندسية الإسلامية",
    "hills": "طبقات من التلال تحت شمس منخفضة، رسم تجريدي لسهل مفتوح {colours}",
}


def describe(seed, colours):
    return STYLE_DESCRIPTIONS[style_for(seed)].format(colours=colours)


AVATAR_PALETTES = (
    ((39, 70, 110), (220, 180, 90), (240, 234, 220)),
    ((30, 90, 80), (235, 150, 90), (245, 240, 228)),
    ((110, 40, 60), (230, 190, 120), (246, 236, 226)),
    ((60, 50, 100), (120, 190, 180), (238, 236, 246)),
    ((80, 60, 30), (200, 120, 60), (244, 236, 220)),
    ((25, 60, 40), (170, 200, 120), (236, 242, 228)),
)


def rng_for(seed):
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big"))


def style_for(seed):
    return STYLES[rng_for(seed + ":style").randrange(len(STYLES))]


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def _gradient(size, top, bottom, angle=0):
    """A smooth two-colour gradient covering `size`, rotated by `angle` degrees.

    Drawn small and enlarged: a gradient has no detail to lose, and it is ten times faster.
    """
    small = (max(2, size[0] // 8), max(2, size[1] // 8))
    # Rotate a larger gradient and keep its middle, so no corner is left unfilled.
    mask = Image.linear_gradient("L").resize((400, 400), Image.BILINEAR)
    mask = mask.rotate(angle, resample=Image.BILINEAR).crop((72, 72, 328, 328)).resize(small, Image.BILINEAR)
    image = Image.composite(Image.new("RGB", small, bottom), Image.new("RGB", small, top), mask)
    return image.resize(size, Image.BILINEAR)


def _star_points(cx, cy, outer, inner, points, rotation=0.0):
    coords = []
    for index in range(points * 2):
        radius = outer if index % 2 == 0 else inner
        angle = rotation + math.pi * index / points
        coords.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return coords


def _polygon(cx, cy, radius, sides, rotation=0.0):
    angles = (rotation + 2 * math.pi * i / sides for i in range(sides))
    return [(cx + radius * math.cos(angle), cy + radius * math.sin(angle)) for angle in angles]


def _draw_stars8(image, palette, rng):
    dark, mid, accent, light = palette
    draw = ImageDraw.Draw(image)
    width, height = image.size
    cell = rng.choice((150, 170, 190, 210)) * _SUPERSAMPLE
    outer = cell * 0.5
    inner = outer * 0.76  # two overlapping squares: the khatam
    line = max(2, cell // 45)
    for row in range(-1, height // cell + 2):
        for column in range(-1, width // cell + 2):
            cx, cy = column * cell + (cell // 2 if row % 2 else 0), row * cell
            fade = (cx / width) * 0.6 + rng.random() * 0.25
            fill = _mix(mid, accent, min(1.0, fade * 0.45))
            draw.polygon(_star_points(cx, cy, outer, inner, 8, math.pi / 8), fill=fill, outline=light, width=line)
            octagon = _polygon(cx, cy, inner * 0.62, 8, math.pi / 8)
            draw.polygon(octagon, fill=_mix(dark, mid, 0.35), outline=accent, width=line)
            draw.ellipse([cx - inner * 0.18, cy - inner * 0.18, cx + inner * 0.18, cy + inner * 0.18], fill=accent)


def _draw_stars6(image, palette, rng):
    dark, mid, accent, light = palette
    draw = ImageDraw.Draw(image)
    width, height = image.size
    step = rng.choice((140, 160, 180)) * _SUPERSAMPLE
    row_height = step * math.sqrt(3) / 2
    line = max(2, step // 50)
    rows = int(height / row_height) + 3
    for row in range(-1, rows):
        for column in range(-1, width // step + 2):
            cx = column * step + (step / 2 if row % 2 else 0)
            cy = row * row_height
            shade = rng.random()
            draw.polygon(_polygon(cx, cy, step * 0.5, 6, math.pi / 6), outline=_mix(mid, light, 0.35), width=line)
            draw.polygon(
                _star_points(cx, cy, step * 0.36, step * 0.21, 6, -math.pi / 2),
                fill=_mix(mid, accent, 0.25 + shade * 0.5),
                outline=light,
                width=line,
            )
            draw.polygon(_polygon(cx, cy, step * 0.12, 6), fill=_mix(dark, mid, 0.5))


def _draw_hills(image, palette, rng):
    dark, mid, accent, light = palette
    draw = ImageDraw.Draw(image)
    width, height = image.size
    sun_x = width * rng.uniform(0.2, 0.8)
    sun_y = height * rng.uniform(0.25, 0.42)
    sun_r = height * rng.uniform(0.09, 0.14)
    for ring in range(6, 0, -1):
        radius = sun_r * (1 + ring * 0.22)
        draw.ellipse(
            [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius],
            fill=_mix(_mix(light, accent, 0.3), accent, 1 - ring / 7),
        )
    draw.ellipse([sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=_mix(accent, light, 0.35))
    layers = 4
    for layer in range(layers):
        base = height * (0.48 + layer * 0.13)
        amplitude = height * (0.07 - layer * 0.01)
        waves = [(rng.uniform(0.5, 2.5), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(3)]
        points = []
        for x in range(0, width + 8 * _SUPERSAMPLE, 8 * _SUPERSAMPLE):
            offset = sum(weight * math.sin(freq * math.tau * x / width + phase) for freq, phase, weight in waves)
            points.append((x, base - amplitude * offset))
        points += [(width, height), (0, height)]
        draw.polygon(points, fill=_mix(_mix(mid, accent, 0.25), dark, layer / (layers - 1)))


_DRAWERS = {"stars8": _draw_stars8, "stars6": _draw_stars6, "hills": _draw_hills}


def cover_image(seed, palette):
    """A 1200×675 abstract cover for `seed`, in the colours of `palette` (dark, mid, accent, light)."""
    rng = rng_for(seed)
    style = style_for(seed)
    dark, mid, accent, light = palette
    size = (COVER_SIZE[0] * _SUPERSAMPLE, COVER_SIZE[1] * _SUPERSAMPLE)
    if style == "hills":
        image = _gradient(size, _mix(light, accent, 0.35), _mix(light, mid, 0.15), angle=0)
    else:
        image = _gradient(size, dark, _mix(dark, mid, 0.6), angle=rng.choice((0, 45, 90, 135)))
    _DRAWERS[style](image, palette, rng)
    image = image.reduce(_SUPERSAMPLE)  # averaging 2×2 pixels smooths the drawn edges
    if style != "hills":
        # A soft darkening at the foot leaves room for text laid over the picture.
        shade = Image.linear_gradient("L").point(lambda v: int(v * 0.45)).resize(COVER_SIZE, Image.BILINEAR)
        image = Image.composite(Image.new("RGB", COVER_SIZE, dark), image, shade)
    return image


def avatar_image(seed, organization=False):
    """A square abstract avatar: a rosette for a person, a tiled emblem for an organization."""
    rng = rng_for(seed)
    dark, accent, light = AVATAR_PALETTES[rng.randrange(len(AVATAR_PALETTES))]
    side = AVATAR_SIZE * _SUPERSAMPLE
    image = _gradient((side, side), dark, _mix(dark, accent, 0.35), angle=rng.choice((0, 45, 90)))
    draw = ImageDraw.Draw(image)
    centre = side / 2
    if organization:
        for radius, colour in ((0.42, light), (0.33, accent), (0.2, dark)):
            draw.polygon(_star_points(centre, centre, side * radius, side * radius * 0.8, 8, math.pi / 8), fill=colour)
        draw.polygon(_polygon(centre, centre, side * 0.1, 8, math.pi / 8), fill=light)
    else:
        petals = rng.choice((6, 8, 10, 12))
        layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        layer_draw = ImageDraw.Draw(layer)
        for ring, radius, colour, turn in ((0.27, 0.13, accent, 0.0), (0.15, 0.08, light, 0.5)):
            for index in range(petals):
                angle = math.tau * (index + turn) / petals
                x, y = centre + side * ring * math.cos(angle), centre + side * ring * math.sin(angle)
                r = side * radius
                box = [x - r, y - r, x + r, y + r]
                layer_draw.ellipse(box, outline=(*colour, 200), width=side // 80, fill=(*colour, 60))
        image = Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
        draw = ImageDraw.Draw(image)
        heart = side * 0.09
        draw.ellipse([centre - heart, centre - heart, centre + heart, centre + heart], fill=accent)
    image = image.filter(ImageFilter.SMOOTH) if organization else image
    return image.reduce(_SUPERSAMPLE)


def to_jpeg(image, quality=86):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, progressive=True)
    return buffer.getvalue()
