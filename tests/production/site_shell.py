"""A Django shell in the production site's environment, driven by tests/production/servers.py.

Reads one JSON object per line on stdin ({"id", "code"}), runs the code in a
namespace kept between calls, and answers one line on stdout: the marker,
then {"id", "ok", "result"} or {"id", "ok": false, "error"}. Anything else
the code prints goes to stderr, so that it cannot be taken for an answer.
"""

import contextlib
import json
import sys
import traceback

MARK = "@@minbar-shell "


def main():
    import django

    django.setup()
    from django.db import close_old_connections

    answers = sys.stdout
    namespace = {"__name__": "site_shell"}
    for line in sys.stdin:
        request = json.loads(line)
        namespace["result"] = None
        # As between two requests: drop a connection the database closed (a restart).
        close_old_connections()
        try:
            with contextlib.redirect_stdout(sys.stderr):
                exec(request["code"], namespace)  # noqa: S102 - code written by the tests themselves
            answer = {"id": request["id"], "ok": True, "result": namespace.get("result")}
        except Exception:  # noqa: BLE001 - reported to the test, which fails with it
            answer = {"id": request["id"], "ok": False, "error": traceback.format_exc()}
        finally:
            close_old_connections()
        answers.write(MARK + json.dumps(answer, ensure_ascii=False, default=str) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
