-- 0024: impact estimation jobs in the store (app/jobs.h, issue #25 item 5): several `poles
-- serve` on one PostgreSQL share them. A job is queued by the server that received it, run by
-- any server with a free slot (claimed by one UPDATE), which writes its progress and a heartbeat
-- (the database's clock) every half second and reads whether it was asked to stop; any server
-- shows it, cancels it, returns its result. A running job whose heartbeat stopped (its server
-- died) is queued again, three claims at most. Its id is "job-<seq>", never reused. Not registry
-- data: writing here does not move the data version.
CREATE TABLE "impact_job" (
  "seq" {{serial_pk}},
  "owner" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "params" TEXT NOT NULL,
  "args" TEXT NOT NULL,
  "data" TEXT,
  "state" TEXT NOT NULL CHECK ("state" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  "progress" REAL NOT NULL,
  "stage" TEXT NOT NULL,
  "created" TEXT NOT NULL,
  "finished" TEXT,
  "error" TEXT,
  "result" TEXT,
  "cancel" INTEGER NOT NULL DEFAULT 0,
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "worker" TEXT,
  "heartbeat" TEXT
);
CREATE INDEX "impact_job_state" ON "impact_job" ("state", "seq");
