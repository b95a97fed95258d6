-- 0007_approvals: the gatekeeper's approvals, held messages and input offsets (DESIGN.md
-- decision 9, issue "Gatekeeper").
--
-- Approval is per campaign: the first message of a campaign that an approval rule catches
-- creates one approval row and is held; later messages of that campaign are held under the same
-- approval. A decision (approvals.decisions, from Slack or the CLI) moves the approval out of
-- `pending` once; the gatekeeper then releases the held messages to outbound.approved (approved)
-- or reports them denied / expired, in batches, marking each row settled only after Kafka
-- acknowledged its record.
--
-- held_messages.payload is the send request as received and therefore personal data: it lives
-- only until the message is settled (then it is cleared). Nothing else here holds addresses.

CREATE TABLE approvals (
  id                   bigserial   PRIMARY KEY,
  tenant               text        NOT NULL,
  campaign_id          text        NOT NULL,
  campaign_name        text        NOT NULL DEFAULT '',
  status               text        NOT NULL DEFAULT 'pending',
  reasons              text[]      NOT NULL,   -- approval rule codes that caught it
  recipients           bigint      NOT NULL DEFAULT 0,
  risk_score           double precision NOT NULL DEFAULT 0,
  sensitive            boolean     NOT NULL DEFAULT false,
  ai_drafted           boolean     NOT NULL DEFAULT false,
  preview              text        NOT NULL DEFAULT '',
  slack_connection     text        NOT NULL,
  slack_channel        text        NOT NULL,
  requested_at         timestamptz NOT NULL DEFAULT now(),
  expires_at           timestamptz NOT NULL,
  request_published_at timestamptz,            -- approvals.requests acknowledged
  decided_at           timestamptz,
  decided_by           text,                   -- "slack:<user id>" or "operator:<name>"
  decision_reason      text,                   -- approved, denied, expired
  CONSTRAINT approvals_campaign_unique UNIQUE (tenant, campaign_id),
  CONSTRAINT approvals_status_check CHECK (status IN ('pending', 'approved', 'denied', 'expired'))
);

CREATE INDEX approvals_pending_idx ON approvals (expires_at) WHERE status = 'pending';
CREATE INDEX approvals_unpublished_idx ON approvals (id)
  WHERE status = 'pending' AND request_published_at IS NULL;

COMMENT ON TABLE approvals IS 'One approval per campaign (tenant, campaign id); no personal data';

CREATE TABLE held_messages (
  request_id  text        PRIMARY KEY,
  approval_id bigint      NOT NULL REFERENCES approvals (id),
  connection  text        NOT NULL,
  payload     text,                         -- the send request; NULL once settled
  status      text        NOT NULL DEFAULT 'held',
  held_at     timestamptz NOT NULL DEFAULT now(),
  settled_at  timestamptz,
  seq         bigserial,                    -- release order
  CONSTRAINT held_messages_status_check
    CHECK (status IN ('held', 'released', 'suppressed', 'denied', 'expired'))
);

CREATE INDEX held_messages_waiting_idx ON held_messages (approval_id, seq) WHERE status = 'held';

COMMENT ON TABLE held_messages IS
  'Send requests waiting for their campaign''s decision; payload cleared once settled';

-- Every decision that reached the gatekeeper, applied or not (unknown approval, already
-- decided, not an approver), once per source event id.
CREATE TABLE approval_decisions (
  id          bigserial   PRIMARY KEY,
  event_id    text        NOT NULL UNIQUE,  -- Slack trigger id, or the CLI's decision id
  tenant      text        NOT NULL,
  campaign_id text        NOT NULL,
  approval_id bigint      REFERENCES approvals (id),
  decision    text        NOT NULL,
  decided_by  text        NOT NULL,
  decided_at  timestamptz NOT NULL,
  outcome     text        NOT NULL,         -- applied, unknown_approval, already_decided, not_an_approver
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT approval_decisions_decision_check CHECK (decision IN ('approve', 'deny'))
);

-- Campaign ids seen, for the first_send approval rule.
CREATE TABLE gatekeeper_campaigns (
  tenant      text        NOT NULL,
  campaign_id text        NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, campaign_id)
);

-- The gatekeeper's input positions: the next offset to read per topic partition, written in
-- the same Postgres transaction as the state the records changed, after the Kafka transaction
-- with their outputs committed.
CREATE TABLE gatekeeper_offsets (
  consumer_group text   NOT NULL,
  topic          text   NOT NULL,
  partition      integer NOT NULL,
  next_offset    bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);
