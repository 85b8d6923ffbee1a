-- Database roles of a deployment: the audit tables are INSERT/SELECT-only for the application.
--
--   psql "$ADMIN_DATABASE_URL" -v app_role=evl_app -f deploy/sql/audit_role.sql
--
-- Run as the owner of the tables (the role `manage.py migrate` connects as) after every
-- migrate. The application (web, workers, beat: DATABASE_URL) connects as :app_role, which
-- owns nothing: it cannot drop the append-only triggers, and even with them gone it has no
-- right to UPDATE, DELETE or TRUNCATE an audit event or checkpoint.
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
    ON audit_auditevent, audit_auditcheckpoint FROM :"app_role";
GRANT SELECT, INSERT ON audit_auditevent, audit_auditcheckpoint TO :"app_role";
