-- 0001_connections: the ingest's connection registry.
--
-- Migration rules (all files in migrations/): named NNNN_name.sql, embedded into the binaries
-- at build time and applied in version order by `hookline db migrate`, each in its own
-- transaction together with its row in hookline_schema_migrations. So: no BEGIN/COMMIT, no
-- CREATE INDEX CONCURRENTLY, and never edit a file once it has been applied anywhere (the
-- checksum check refuses to run): add a new file instead.
--
-- One row per (provider, connection_id). Secrets are sealed by the application with
-- AES-256-GCM before they are stored (DESIGN.md decision 11); the database never sees them in
-- clear. public_key is not a secret (PEM or base64 key of ECDSA/Ed25519 signature schemes).

CREATE TABLE connections (
  tenant           text        NOT NULL DEFAULT 'default',
  provider         text        NOT NULL,
  connection_id    text        NOT NULL,
  environment      text        NOT NULL DEFAULT 'prod',
  alias            text,
  status           text        NOT NULL DEFAULT 'enabled',
  secret_primary   bytea,                -- sealed signing secret in use
  secret_secondary bytea,                -- sealed previous/next secret while rotating
  verify_token     bytea,                -- sealed verification token (e.g. WhatsApp hub.verify_token)
  public_key       text,                 -- not secret: PEM/base64 for ECDSA/Ed25519 schemes
  settings         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, connection_id),
  CONSTRAINT connections_environment_check CHECK (environment IN ('dev', 'staging', 'prod')),
  CONSTRAINT connections_status_check CHECK (status IN ('enabled', 'disabled')),
  -- The change notification is "provider/connection_id", split at the first '/'.
  CONSTRAINT connections_provider_check CHECK (provider <> '' AND strpos(provider, '/') = 0),
  CONSTRAINT connections_connection_id_check CHECK (connection_id <> ''),
  CONSTRAINT connections_settings_check CHECK (jsonb_typeof(settings) = 'object')
);

CREATE INDEX connections_tenant_idx ON connections (tenant);

COMMENT ON TABLE connections IS
  'Connection registry read by the ingest; changes are announced on channel hookline_connections';

-- updated_at follows every update.
CREATE FUNCTION hookline_connections_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER connections_touch
  BEFORE UPDATE ON connections
  FOR EACH ROW EXECUTE FUNCTION hookline_connections_touch();

-- Change feed for the ingest's cache: NOTIFY hookline_connections with payload
-- "provider/connection_id" for every inserted, updated or deleted row (an update that changes
-- the key announces both the old and the new key), and payload "*" after TRUNCATE (reload all).
-- Notifications are delivered when the writing transaction commits.
CREATE FUNCTION hookline_connections_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('hookline_connections', '*');
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('hookline_connections', OLD.provider || '/' || OLD.connection_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('hookline_connections', NEW.provider || '/' || NEW.connection_id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER connections_notify
  AFTER INSERT OR UPDATE OR DELETE ON connections
  FOR EACH ROW EXECUTE FUNCTION hookline_connections_notify();

CREATE TRIGGER connections_notify_truncate
  AFTER TRUNCATE ON connections
  FOR EACH STATEMENT EXECUTE FUNCTION hookline_connections_notify();
