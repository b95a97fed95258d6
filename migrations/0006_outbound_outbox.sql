-- 0006_outbound_outbox: the transactional outbox for send requests (issue 6, item 7).
--
-- An application that keeps its data in Postgres writes its send requests here, in the same
-- transaction as its business write:
--
--   BEGIN;
--   UPDATE orders SET status = 'paid' WHERE id = 42;
--   INSERT INTO outbound_outbox (payload) VALUES ($1);  -- a send request JSON
--   COMMIT;
--
-- so the request exists exactly when the business write does, without the application talking
-- to Kafka. `payload` is one send request (schemas/outbound.request.v1.schema.json). The
-- gatekeeper's outbox relay publishes unpublished rows to outbound.requests in id order (record
-- key = the request's connection, header outbox-id = the row id) and sets published_at only
-- after Kafka acknowledged them. A row whose payload is not a valid send request is set aside:
-- published_at is set and failed_reason says why; it never blocks the rows behind it.
--
-- Order: rows are published in id order. Ids are taken at INSERT, so between two transactions
-- that commit in the opposite order of their inserts, a later id can be published first; write
-- requests whose relative order matters in one transaction. Delivery is at least once (a relay
-- that dies between Kafka's acknowledgement and its commit publishes those rows again); the
-- request id is the idempotency key downstream.
--
-- Published rows are kept for audit; delete old ones when they are no longer needed:
--   DELETE FROM outbound_outbox WHERE published_at < now() - interval '30 days';

CREATE TABLE outbound_outbox (
  id            bigserial   PRIMARY KEY,
  created_at    timestamptz NOT NULL DEFAULT now(),
  payload       text        NOT NULL,
  published_at  timestamptz,          -- null: waiting for the relay
  failed_reason text                  -- set (with published_at) when the payload was invalid
);

-- The relay's work queue: unpublished rows in id order.
CREATE INDEX outbound_outbox_unpublished_idx ON outbound_outbox (id) WHERE published_at IS NULL;

COMMENT ON TABLE outbound_outbox IS
  'Send requests written by applications in their own transactions; the gatekeeper relays them to outbound.requests';

-- Wakes the relay early: NOTIFY hookline_outbox once per inserting statement, delivered when
-- the inserting transaction commits (never for a rolled-back one). The relay also polls.
CREATE FUNCTION hookline_outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hookline_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbound_outbox_notify
  AFTER INSERT ON outbound_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION hookline_outbox_notify();
