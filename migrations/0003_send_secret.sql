-- 0003_send_secret: what the sender needs to call a connection's provider (outbound).
--
-- A connection can be inbound (the ingest verifies its webhooks), outbound (the sender calls
-- the provider's API with it), or both. See 0001 for migration rules.
--
-- send_secret is the sealed secret the sender authenticates with: an API key, an auth or bot
-- token, or an outgoing-webhook signing secret (whsec_...). Like the other secret columns it
-- is sealed by the application with AES-256-GCM, bound to its row and to this column, before it
-- is stored; the database never sees it in clear. NULL: the connection sends nothing (or its
-- provider needs no secret).
--
-- The non-secret send settings (base_url, from, account_sid, phone_number_id, path,
-- rate_per_s, burst, ...) live in the existing jsonb column `settings` (always an object), as
-- an object under the key "send": {"send": {"base_url": "...", "rate_per_s": 10}}. They are not
-- secret, so they must not hold one.

ALTER TABLE connections ADD COLUMN send_secret bytea;

COMMENT ON COLUMN connections.send_secret IS
  'Sealed (AES-256-GCM, by the application) secret the sender authenticates with; NULL: none';
COMMENT ON COLUMN connections.settings IS
  'Non-secret settings (JSON object); the sender''s under the key "send"';
