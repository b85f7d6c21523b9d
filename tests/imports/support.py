"""A small JSON Lines file of our own, with good and bad lines, and a way to run the command on it."""

import io
import json

from django.core.management import CommandError, call_command
from django.utils import translation

LIBRARY = {
    "id": "zh-1",
    "title": "افتتاح مكتبة عامة في حي الزهور",
    "body": (
        "افتتحت البلدية صباح اليوم مكتبة عامة جديدة في حي الزهور.\n\n"
        "وتضم المكتبة ألفي كتاب للأطفال والكبار، وقاعة للمطالعة."
    ),
    "category": "culture",
    "category_ar": "ثقافة",
    "author": "سلمى درويش",
    "date": "2023-04-02T10:15:00+01:00",
    "tags": ["مكتبات", "أحياء"],
}
FOOTBALL = {
    "id": "zh-2",
    "title": "فريق الحي يفوز بكأس المدارس",
    "body": "فاز فريق مدرسة الزهور بكأس المدارس بعد مباراة حماسية.",
    "category": "sport",
    "category_ar": "رياضة",
    "author": "سلمى درويش",
    "date": "2023-04-03",
}
KURDISH = {
    "id": 3,
    "title": "کتێبخانەیەکی نوێ لە گەڕەکی گوڵان",
    "body": "شارەوانی ئەمڕۆ کتێبخانەیەکی نوێی کردەوە.",
    "section": "هەواڵ",
    "language": "ckb",
    "author": "ئاراس کەریم",
    "date": "2023-04-04T08:30:00",
    "summary": "کتێبخانەیەکی نوێ بۆ منداڵان.",
    "kind": "report",
}
NO_ID = {
    "title": "سوق الخضار يعود إلى مكانه القديم",
    "body": "عاد باعة الخضار إلى ساحة السوق القديم بعد انتهاء أعمال الترميم.",
    "section": "أخبار محلية",
}

# Line number (1-based, as the report gives it) → what the line holds.
GOOD = {1: LIBRARY, 2: FOOTBALL, 3: KURDISH, 5: NO_ID}
BAD_LINES = {
    6: b'{"id": "zh-6", "title": "\xd8\xb9\xd9\x86\xff\xfe"}',
    7: b'{"id": "zh-7", "title": "\xd8\xae\xd8\xa8\xd8\xb1 \xd9\x86\xd8\xa7\xd9\x82\xd8\xb5"',
    8: '["قائمة", "لا كائن"]'.encode(),
}
BAD_OBJECTS = {
    9: {"id": "zh-9", "title": "عنوان بلا نص", "category_ar": "ثقافة"},
    10: {"id": "zh-10", "title": "موعد غامض", "body": "نص قصير.", "category_ar": "ثقافة", "date": "أمس مساء"},
    11: {"id": "zh-11", "title": "بلغة أخرى", "body": "نص قصير.", "category_ar": "ثقافة", "language": "fr"},
    12: {"id": "zh-12", "title": "طويل " * 60, "body": "نص قصير.", "category_ar": "ثقافة"},
    13: dict(LIBRARY, title="نسخة ثانية من خبر المكتبة"),
}


def jsonl_line(item):
    return json.dumps(item, ensure_ascii=False).encode()


def sample_lines():
    """Lines 1–13: four good articles, an empty line (4) and eight bad lines."""
    lines = {number: jsonl_line(item) for number, item in GOOD.items()}
    lines[4] = b"   "
    lines.update(BAD_LINES)
    lines.update({number: jsonl_line(item) for number, item in BAD_OBJECTS.items()})
    return b"\n".join(lines[number] for number in sorted(lines)) + b"\n"


def write_jsonl(path, items):
    path.write_bytes(b"\n".join(item if isinstance(item, bytes) else jsonl_line(item) for item in items) + b"\n")
    return path


def run_import(path, *args, language="en"):
    """Run the command in `language`; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with translation.override(language):
        try:
            call_command("import_jsonl", str(path), *args, stdout=out, stderr=err)
        except CommandError as error:
            status = error.returncode
            err.write(str(error))
    return status, out.getvalue(), err.getvalue()
