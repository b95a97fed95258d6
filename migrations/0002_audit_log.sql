-- 0002_audit_log: who did what, append-only.
--
-- Rows name ids only (connection ids, campaign ids, operator names): never addresses, phone
-- numbers, message bodies or secrets (DESIGN.md decision 11). See 0001 for migration rules.
--
-- Append-only is enforced by triggers that reject UPDATE, DELETE and TRUNCATE. Retention, when
-- needed, is a deliberate act of the table owner: ALTER TABLE audit_log DISABLE TRIGGER ...,
-- delete old rows, enable the triggers again, all in one transaction.

CREATE TABLE audit_log (
  id      bigserial   PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text        NOT NULL,   -- operator name or component ("ctl:alice", "gatekeeper")
  action  text        NOT NULL,   -- dotted verb ("connection.rotate", "approval.approve")
  subject text,                   -- id of what was acted upon ("stripe/acct_123")
  details jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_subject_idx ON audit_log (subject, at);

COMMENT ON TABLE audit_log IS 'Append-only audit trail; ids only, no personal data';

CREATE FUNCTION hookline_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION hookline_audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION hookline_audit_log_append_only();
