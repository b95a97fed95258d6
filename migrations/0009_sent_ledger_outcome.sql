-- 0009_sent_ledger_outcome: the sent-ledger also remembers requests parked in outbound.dlq.
--
-- A record redelivered after its dead-lettering (a crash or a failed offset commit before the
-- rebalance) must not be tried again as if nothing had happened: found by scripts/e2e.sh, where
-- such a request was sent after it had been parked, and so ended both dead-lettered and sent.
-- A redelivery of a dead-lettered request is parked again with the same reason (the DLQ copy and
-- the result keep their ids); an operator's replay (hookline dlq replay) is still sent, and its
-- success turns the row into 'sent'.

ALTER TABLE sent_ledger
  ADD COLUMN outcome text NOT NULL DEFAULT 'sent',
  ADD COLUMN error_class text NOT NULL DEFAULT '',
  ADD CONSTRAINT sent_ledger_outcome_check CHECK (outcome IN ('sent', 'dead_lettered'));

COMMENT ON COLUMN sent_ledger.outcome IS
  'sent: the provider accepted it; dead_lettered: parked in outbound.dlq (error_class says why)';
