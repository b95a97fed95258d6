-- 0008_replay_runs: operator replays (hookline dlq replay, hookline replay raw). Each run is on
-- record, and one that was interrupted (Ctrl-C, a broker outage) resumes where it stopped when
-- the same command runs again. See 0001 for migration rules.
--
-- A run reads fixed offset ranges of its source topic: end_offsets are taken when it starts,
-- next_offsets move as records are replayed (at most a few hundred behind the replay itself, so
-- a killed run repeats at most that many records; replays are idempotent downstream). Rows
-- hold ids, times, offsets and operator names only: no addresses, no bodies.

CREATE TABLE replay_runs (
  id           bigserial   PRIMARY KEY,
  source_topic text        NOT NULL,
  selection    text        NOT NULL,  -- the command's filters, canonical: same command, same text
  operator     text        NOT NULL,
  since_ms     bigint,                -- the time filters as resolved when the run started
  until_ms     bigint,
  end_offsets  jsonb       NOT NULL,  -- {"<partition>": <offset>}: where the run stops
  next_offsets jsonb       NOT NULL,  -- {"<partition>": <offset>}: where it resumes
  replayed     bigint      NOT NULL DEFAULT 0,
  skipped      bigint      NOT NULL DEFAULT 0,
  failed       bigint      NOT NULL DEFAULT 0,
  started_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

-- One unfinished run per command: the next identical command resumes it.
CREATE UNIQUE INDEX replay_runs_open_idx ON replay_runs (source_topic, selection)
  WHERE finished_at IS NULL;
