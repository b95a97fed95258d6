-- 0004_sent_ledger: the sender's sent-ledger (DESIGN.md decision 7, issue "Sender").
--
-- One row per send request a provider accepted, keyed by the request id (the idempotency key
-- of outbound.requests). The sender looks a request up just before calling the provider and
-- writes the row just after the provider accepted it, so a request redelivered after a crash
-- or a rebalance, or replayed from outbound.dlq, is not sent again once its first send is known
-- to have succeeded. Only the crash window between the provider's answer and this row can send
-- twice. No personal data: ids only.

CREATE TABLE sent_ledger (
  request_id          text        PRIMARY KEY,
  connection          text        NOT NULL,  -- <provider>/<connection id>
  provider_message_id text        NOT NULL DEFAULT '',
  attempt             integer     NOT NULL,
  sent_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sent_ledger_request_id_check CHECK (request_id <> ''),
  CONSTRAINT sent_ledger_attempt_check CHECK (attempt >= 1)
);

-- For pruning rows older than the longest redelivery horizon (retry tiers and DLQ retention).
CREATE INDEX sent_ledger_sent_at_idx ON sent_ledger (sent_at);

COMMENT ON TABLE sent_ledger IS
  'Send requests the provider accepted, by request id: checked before a send, written after';
