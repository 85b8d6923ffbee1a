#!/bin/sh
# Restore drill: restore a pg_dump into a scratch database and verify the audit trail in it.
#
#   bin/restore_drill.sh DUMP_FILE [SCRATCH_DATABASE]
#
# DUMP_FILE is a custom-format dump (`pg_dump --format=custom`). ADMIN_DATABASE_URL names a
# database on the server to restore on, as a role that may create databases (default
# postgres://postgres@127.0.0.1:5432/postgres). The scratch database (default
# evl_restore_drill) is dropped and created again, the dump restored into it, then
# `manage.py verify_audit` runs against it with this environment's settings (the same
# AUDIT_SIGNING_KEY and AUDIT_ANCHOR_PATH as production, so a dump that lost its tail is
# reported). Exits non-zero when the restore or the verification fails. The scratch database
# is left for inspection; drop it afterwards.
set -eu

dump=${1:?usage: bin/restore_drill.sh DUMP_FILE [SCRATCH_DATABASE]}
scratch=${2:-evl_restore_drill}
admin=${ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
scratch_url="${admin%/*}/${scratch}"
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-"$here/.venv/bin/python"}

case "$scratch" in
    *[!a-z0-9_]*) echo "scratch database name must be lower-case letters, digits, _" >&2; exit 2 ;;
esac

echo "restore drill: $dump -> $scratch"
psql "$admin" -qv ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $scratch" -c "CREATE DATABASE $scratch"
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$scratch_url" "$dump"
psql "$scratch_url" -qc "ANALYZE"
DATABASE_URL="$scratch_url" "$python" "$here/manage.py" verify_audit
echo "restore drill passed: $scratch verifies"
