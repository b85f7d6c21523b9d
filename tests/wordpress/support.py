"""Shared test inputs for the WordPress importer: where the fixtures are, and the uploads our own fixture refers to.

The images are drawn here instead of being committed as binaries: they only
need to be real, decodable files at the paths the export names.
"""

from pathlib import Path

from PIL import Image, ImageDraw

# The WordPress importer's own test exports, kept outside the repository (test input only, never copied in).
WXR_DIR = Path(__file__).resolve().parents[3] / "shared/data/wxr/wordpress-importer"

# Our own invented Arabic news site; arabic-news-site.md says what it holds.
ARABIC_SITE = Path(__file__).resolve().parent / "data" / "arabic-news-site.xml"
ARABIC_SITE_NOTES = ARABIC_SITE.with_suffix(".md")

# Relative to wp-content/uploads, as the export's _wp_attached_file meta names them,
# with the pixel size the export's _wp_attachment_metadata gives. Attachment 103
# (2024/05/water-network-map.jpg) is left out on purpose: its file is missing.
UPLOADS = {
    "2024/03/نافورة-الساحة.jpg": (96, 64),
    "2024/04/water-tank.png": (600, 400),
    "2024/04/water-tank-300x200.png": (300, 200),  # the "medium" size the posts' HTML points at
}
MISSING_UPLOAD = "2024/05/water-network-map.jpg"


def make_uploads(directory):
    """Write the export's images under `directory` (a stand-in for wp-content/uploads) and return it as a Path."""
    root = Path(directory)
    for number, (relative, size) in enumerate(sorted(UPLOADS.items())):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", size, (40 + 60 * number, 120, 200 - 50 * number))
        # A shape, so that two files of one size are still different pictures.
        ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(240, 220, 90))
        image.save(path, "JPEG" if path.suffix == ".jpg" else "PNG")
    return root
