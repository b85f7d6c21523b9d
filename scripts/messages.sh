#!/usr/bin/env bash
# Extract interface strings into the ar, ckb and en catalogs and compile them.
# English msgids are the source; the English catalog copies them (msgen) so
# that every catalog is complete and the completeness test means something.
set -euo pipefail
cd "$(dirname "$0")/../minbar"
export DJANGO_SETTINGS_MODULE=minbar.settings.test
ADMIN="../.venv/bin/django-admin"
"$ADMIN" makemessages --locale ar --locale ckb --locale en --no-obsolete --add-location file \
  --ignore "static/*" --ignore "demo/content/*"
en_po=locale/en/LC_MESSAGES/django.po
# Empty every English msgstr (msgmerge's fuzzy guesses included), then msgen
# copies each msgid into it.
msgfilter --keep-header --no-wrap -i "$en_po" sed -e d | msgen --no-wrap - \
  | msgattrib --no-wrap --clear-fuzzy --clear-previous -o "$en_po.tmp" - && mv "$en_po.tmp" "$en_po"
"$ADMIN" compilemessages --locale ar --locale ckb --locale en
