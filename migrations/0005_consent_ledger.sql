-- 0005_consent_ledger: the gatekeeper's consent ledger (DESIGN.md decision 8, issue
-- "Gatekeeper"). See 0001 for migration rules.
--
-- A history of opt-ins and opt-outs per tenant, contact and channel: rows are appended, never
-- updated. A contact's current consent is its newest row per (channel, scope, grp), newest by
-- occurred_at then id. Lookups use contact_hash (HMAC-SHA-256 of tenant and normalized address
-- under a key derived from the secrets key, computed by the application); `contact` keeps the
-- normalized address in clear only for the GDPR export, and is the only personal data here.
--
-- History is protected by a trigger: UPDATE and TRUNCATE are always refused, DELETE too unless
-- the transaction ran `SET LOCAL hookline.consent_erase = 'on'`, which only the erase of one
-- contact does (`hookline consent erase`): it deletes the contact's rows and appends one
-- suppression row without the address (contact NULL, channel '*', opted_out, scope all, source
-- erasure), so the erased contact stays suppressed. The trigger guards against mistakes, not
-- against the table owner.
--
-- Every insert announces "<tenant>/<contact_hash>" on channel hookline_consent (after commit),
-- so that consent checks drop what they cached for that contact.

CREATE TABLE consent_ledger (
  id                bigserial   PRIMARY KEY,
  tenant            text        NOT NULL,
  contact_hash      text        NOT NULL,             -- 64 lower-case hex digits
  contact           text,                             -- normalized address; NULL once erased
  channel           text        NOT NULL,             -- email, sms, whatsapp, ... or '*' (all)
  status            text        NOT NULL,
  scope             text        NOT NULL,
  source            text        NOT NULL,
  reason            text        NOT NULL DEFAULT '',  -- keyword:STOP, hard_bounce, cli, ...
  grp               text        NOT NULL DEFAULT '',  -- subscription group; '' = whole channel
  evidence_event_id text        NOT NULL DEFAULT '',  -- CloudEvents id it came from; '' none
  occurred_at       timestamptz NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  recorded_by       text        NOT NULL,             -- hookline-gatekeeper, ctl:<operator>
  -- The notification payload is "<tenant>/<contact_hash>", split at the last '/'.
  CONSTRAINT consent_ledger_tenant_check
    CHECK (tenant <> '' AND strpos(tenant, '/') = 0 AND length(tenant) <= 256),
  CONSTRAINT consent_ledger_contact_hash_check CHECK (contact_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT consent_ledger_contact_check CHECK (contact IS NULL OR contact <> ''),
  CONSTRAINT consent_ledger_channel_check
    CHECK (channel = '*' OR channel ~ '^[a-z][a-z0-9_-]{0,31}$'),
  CONSTRAINT consent_ledger_status_check CHECK (status IN ('opted_in', 'opted_out')),
  CONSTRAINT consent_ledger_scope_check CHECK (scope IN ('all', 'marketing', 'transactional')),
  CONSTRAINT consent_ledger_source_check CHECK (source IN (
    'inbound_stop', 'inbound_start', 'unsubscribe_link', 'resubscribe', 'bounce', 'complaint',
    'api', 'import', 'erasure')),
  -- An erasure row is the hashed suppression an erase leaves: no address, an opt-out.
  CONSTRAINT consent_ledger_erasure_check
    CHECK (source <> 'erasure' OR (contact IS NULL AND status = 'opted_out')),
  CONSTRAINT consent_ledger_recorded_by_check CHECK (recorded_by <> '')
);

-- Idempotency: a change from consent.changes is recorded once per event, however often the
-- record is delivered.
CREATE UNIQUE INDEX consent_ledger_evidence_idx
  ON consent_ledger (tenant, contact_hash, channel, grp, evidence_event_id)
  WHERE evidence_event_id <> '';

-- The current state of a contact: newest row per (channel, scope, grp).
CREATE INDEX consent_ledger_current_idx
  ON consent_ledger (tenant, contact_hash, channel, scope, grp, occurred_at DESC, id DESC);

COMMENT ON TABLE consent_ledger IS
  'Consent history per tenant, contact and channel: appended, never updated; changes are '
  'announced on channel hookline_consent';
COMMENT ON COLUMN consent_ledger.contact_hash IS
  'HMAC-SHA-256 of tenant and normalized address (key derived from the secrets key), hex';
COMMENT ON COLUMN consent_ledger.contact IS
  'Normalized address for the GDPR export; the only personal data; NULL after an erase';
COMMENT ON COLUMN consent_ledger.channel IS 'email, sms, whatsapp, ... or * for every channel';
COMMENT ON COLUMN consent_ledger.status IS 'opted_in or opted_out';
COMMENT ON COLUMN consent_ledger.scope IS
  'the purposes the row covers: all, marketing or transactional';
COMMENT ON COLUMN consent_ledger.source IS
  'where the row came from: inbound_stop, inbound_start, unsubscribe_link, resubscribe, '
  'bounce, complaint, api, import, erasure';
COMMENT ON COLUMN consent_ledger.reason IS 'the provider''s or operator''s reason code';
COMMENT ON COLUMN consent_ledger.grp IS
  'subscription group the row is limited to; empty for the whole channel';
COMMENT ON COLUMN consent_ledger.evidence_event_id IS
  'CloudEvents id of the event the change came from (idempotency key); empty when none';
COMMENT ON COLUMN consent_ledger.occurred_at IS 'when the contact gave or withdrew consent';
COMMENT ON COLUMN consent_ledger.recorded_at IS 'when the row was written';
COMMENT ON COLUMN consent_ledger.recorded_by IS
  'who wrote it: hookline-gatekeeper or ctl:<operator>';

CREATE FUNCTION hookline_consent_ledger_history_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('hookline.consent_erase', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'consent_ledger is a history: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'append a new entry; `hookline consent erase` removes one contact';
END;
$$;

CREATE TRIGGER consent_ledger_no_update_delete
  BEFORE UPDATE OR DELETE ON consent_ledger
  FOR EACH ROW EXECUTE FUNCTION hookline_consent_ledger_history_only();

CREATE TRIGGER consent_ledger_no_truncate
  BEFORE TRUNCATE ON consent_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION hookline_consent_ledger_history_only();

CREATE FUNCTION hookline_consent_ledger_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hookline_consent', NEW.tenant || '/' || NEW.contact_hash);
  RETURN NULL;
END;
$$;

CREATE TRIGGER consent_ledger_notify
  AFTER INSERT ON consent_ledger
  FOR EACH ROW EXECUTE FUNCTION hookline_consent_ledger_notify();

-- The single confirmation a contact may still receive after an SMS/WhatsApp STOP: claimed by
-- the first send request that the rules let through for that opt-out row.
CREATE TABLE consent_confirmations (
  opt_out_entry_id bigint      PRIMARY KEY REFERENCES consent_ledger (id) ON DELETE CASCADE,
  request_id       text        NOT NULL,
  claimed_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT consent_confirmations_request_id_check CHECK (request_id <> '')
);

COMMENT ON TABLE consent_confirmations IS
  'The one opt-out confirmation per STOP entry: which send request claimed it; ids only';
COMMENT ON COLUMN consent_confirmations.opt_out_entry_id IS 'the consent_ledger row of the STOP';
COMMENT ON COLUMN consent_confirmations.request_id IS 'the send request allowed to confirm it';
