-- 0001: the data model of DESIGN.md (generated once from core/schema.cpp; later
-- changes are new numbered migrations). Common SQL of SQLite and PostgreSQL.

CREATE TABLE "meta" (
  "key" TEXT PRIMARY KEY,
  "value" TEXT NOT NULL
);
INSERT INTO "meta" ("key", "value") VALUES ('data_version', '0');

CREATE TABLE "cluster" (
  "id" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "acronym" TEXT,
  "themes" TEXT,
  "region" TEXT NOT NULL,
  "scale" TEXT NOT NULL,
  "filiere" TEXT,
  "website" TEXT,
  "founded" BIGINT,
  PRIMARY KEY ("id")
);

CREATE TABLE "cluster_label" (
  "cluster_id" TEXT NOT NULL,
  "phase" BIGINT NOT NULL,
  "start_year" BIGINT NOT NULL,
  "end_year" BIGINT NOT NULL,
  "label_years" BIGINT,
  "rating" TEXT,
  PRIMARY KEY ("cluster_id", "phase"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id") ON DELETE CASCADE
);

CREATE TABLE "organisation" (
  "id" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "siren" TEXT,
  "kind" TEXT NOT NULL,
  "naf" TEXT,
  "commune" TEXT,
  "department" TEXT,
  "region" TEXT,
  "employment_zone" TEXT,
  "country" TEXT,
  "headcount" DOUBLE PRECISION,
  "turnover" DOUBLE PRECISION,
  "balance_sheet" DOUBLE PRECISION,
  "size_class" TEXT,
  "group_siren" TEXT,
  "founded" BIGINT,
  PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "organisation_siren_key" ON "organisation" ("siren");

CREATE TABLE "membership" (
  "organisation_id" TEXT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "start_date" TEXT NOT NULL,
  "end_date" TEXT,
  "fee" DOUBLE PRECISION,
  "board_seat" BIGINT,
  PRIMARY KEY ("organisation_id", "cluster_id", "start_date"),
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
CREATE INDEX "membership_cluster_id_idx" ON "membership" ("cluster_id");

CREATE TABLE "project" (
  "id" TEXT NOT NULL,
  "acronym" TEXT NOT NULL,
  "title" TEXT,
  "kind" TEXT,
  "programme" TEXT NOT NULL,
  "call_id" TEXT,
  "start_date" TEXT,
  "end_date" TEXT,
  "total_cost" DOUBLE PRECISION,
  "public_aid" DOUBLE PRECISION,
  "trl_start" BIGINT,
  "trl_target" BIGINT,
  "trl_reached" BIGINT,
  "ip_agreement" TEXT,
  "status" TEXT NOT NULL,
  "sector" TEXT,
  "themes" TEXT,
  "follow_on_of" TEXT,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("follow_on_of") REFERENCES "project" ("id") ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX "project_follow_on_of_idx" ON "project" ("follow_on_of");

CREATE TABLE "project_label" (
  "project_id" TEXT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "date" TEXT NOT NULL,
  PRIMARY KEY ("project_id", "cluster_id"),
  FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
CREATE INDEX "project_label_cluster_id_idx" ON "project_label" ("cluster_id");

CREATE TABLE "project_event" (
  "project_id" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "date" TEXT NOT NULL,
  PRIMARY KEY ("project_id", "status"),
  FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE
);

CREATE TABLE "participation" (
  "project_id" TEXT NOT NULL,
  "organisation_id" TEXT NOT NULL,
  "role" TEXT NOT NULL,
  "cost" DOUBLE PRECISION,
  "aid" DOUBLE PRECISION,
  PRIMARY KEY ("project_id", "organisation_id"),
  FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id")
);
CREATE INDEX "participation_organisation_id_idx" ON "participation" ("organisation_id");

CREATE TABLE "result" (
  "id" TEXT NOT NULL,
  "project_id" TEXT NOT NULL,
  "organisation_id" TEXT,
  "kind" TEXT NOT NULL,
  "title" TEXT,
  "date" TEXT,
  "revenue" DOUBLE PRECISION,
  "jobs" DOUBLE PRECISION,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("project_id") REFERENCES "project" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id")
);
CREATE INDEX "result_project_id_idx" ON "result" ("project_id");
CREATE INDEX "result_organisation_id_idx" ON "result" ("organisation_id");

CREATE TABLE "service" (
  "id" TEXT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "title" TEXT,
  "date" TEXT NOT NULL,
  "place" TEXT,
  "country" TEXT,
  "cost" DOUBLE PRECISION,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
CREATE INDEX "service_cluster_id_idx" ON "service" ("cluster_id");

CREATE TABLE "service_participant" (
  "service_id" TEXT NOT NULL,
  "organisation_id" TEXT NOT NULL,
  "satisfaction" BIGINT,
  "outcome" TEXT,
  "financing_raised" DOUBLE PRECISION,
  PRIMARY KEY ("service_id", "organisation_id"),
  FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id")
);
CREATE INDEX "service_participant_organisation_id_idx" ON "service_participant" ("organisation_id");

CREATE TABLE "diagnostic" (
  "organisation_id" TEXT NOT NULL,
  "date" TEXT NOT NULL,
  "cluster_id" TEXT,
  "score" DOUBLE PRECISION NOT NULL,
  "strategy" DOUBLE PRECISION,
  "customer" DOUBLE PRECISION,
  "operations" DOUBLE PRECISION,
  "data" DOUBLE PRECISION,
  "skills" DOUBLE PRECISION,
  "security" DOUBLE PRECISION,
  "aid_received" DOUBLE PRECISION,
  PRIMARY KEY ("organisation_id", "date"),
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
CREATE INDEX "diagnostic_cluster_id_idx" ON "diagnostic" ("cluster_id");

CREATE TABLE "contract" (
  "id" TEXT NOT NULL,
  "cluster_id" TEXT NOT NULL,
  "start_year" BIGINT NOT NULL,
  "end_year" BIGINT NOT NULL,
  "signatories" TEXT,
  "improvement_plan" BIGINT,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
CREATE INDEX "contract_cluster_id_idx" ON "contract" ("cluster_id");

CREATE TABLE "contract_target" (
  "contract_id" TEXT NOT NULL,
  "indicator" TEXT NOT NULL,
  "year" BIGINT NOT NULL,
  "value" DOUBLE PRECISION NOT NULL,
  "direction" TEXT NOT NULL,
  PRIMARY KEY ("contract_id", "indicator", "year"),
  FOREIGN KEY ("contract_id") REFERENCES "contract" ("id") ON DELETE CASCADE
);

CREATE TABLE "assessment" (
  "cluster_id" TEXT NOT NULL,
  "year" BIGINT NOT NULL,
  "criterion" TEXT NOT NULL,
  "evaluator" TEXT NOT NULL,
  "score" BIGINT NOT NULL,
  "justification" TEXT NOT NULL,
  PRIMARY KEY ("cluster_id", "year", "criterion", "evaluator"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);

CREATE TABLE "call" (
  "id" TEXT NOT NULL,
  "programme" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "budget" DOUBLE PRECISION NOT NULL,
  "open_date" TEXT,
  "close_date" TEXT,
  "min_funding_share" DOUBLE PRECISION,
  "cap_per_cluster" DOUBLE PRECISION,
  "min_sme_share" DOUBLE PRECISION,
  "criteria" TEXT,
  "reviewers_per_proposal" BIGINT,
  "max_per_reviewer" BIGINT,
  PRIMARY KEY ("id")
);

CREATE TABLE "proposal" (
  "id" TEXT NOT NULL,
  "call_id" TEXT NOT NULL,
  "project_id" TEXT,
  "applicant_id" TEXT NOT NULL,
  "cluster_id" TEXT,
  "title" TEXT NOT NULL,
  "requested_aid" DOUBLE PRECISION NOT NULL,
  "sector" TEXT,
  "themes" TEXT,
  "trl_start" BIGINT,
  "trl_target" BIGINT,
  "expected_products" DOUBLE PRECISION,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("call_id") REFERENCES "call" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("project_id") REFERENCES "project" ("id"),
  FOREIGN KEY ("applicant_id") REFERENCES "organisation" ("id"),
  FOREIGN KEY ("cluster_id") REFERENCES "cluster" ("id")
);
CREATE INDEX "proposal_call_id_idx" ON "proposal" ("call_id");
CREATE INDEX "proposal_project_id_idx" ON "proposal" ("project_id");
CREATE INDEX "proposal_applicant_id_idx" ON "proposal" ("applicant_id");
CREATE INDEX "proposal_cluster_id_idx" ON "proposal" ("cluster_id");

CREATE TABLE "reviewer" (
  "id" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "organisation_id" TEXT,
  "sectors" TEXT,
  "themes" TEXT,
  "max_load" BIGINT,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("organisation_id") REFERENCES "organisation" ("id")
);
CREATE INDEX "reviewer_organisation_id_idx" ON "reviewer" ("organisation_id");

CREATE TABLE "review" (
  "proposal_id" TEXT NOT NULL,
  "reviewer_id" TEXT NOT NULL,
  "criterion" TEXT NOT NULL,
  "score" DOUBLE PRECISION NOT NULL,
  "comment" TEXT,
  PRIMARY KEY ("proposal_id", "reviewer_id", "criterion"),
  FOREIGN KEY ("proposal_id") REFERENCES "proposal" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("reviewer_id") REFERENCES "reviewer" ("id")
);
CREATE INDEX "review_reviewer_id_idx" ON "review" ("reviewer_id");

CREATE TABLE "decision" (
  "proposal_id" TEXT NOT NULL,
  "decision" TEXT NOT NULL,
  "aid" DOUBLE PRECISION,
  "date" TEXT,
  PRIMARY KEY ("proposal_id"),
  FOREIGN KEY ("proposal_id") REFERENCES "proposal" ("id") ON DELETE CASCADE
);

CREATE TABLE "firm_year" (
  "siren" TEXT NOT NULL,
  "year" BIGINT NOT NULL,
  "headcount" DOUBLE PRECISION,
  "turnover" DOUBLE PRECISION,
  "value_added" DOUBLE PRECISION,
  "rd_spending" DOUBLE PRECISION,
  "rd_staff" DOUBLE PRECISION,
  "exports" DOUBLE PRECISION,
  "patents" DOUBLE PRECISION,
  "wage_bill" DOUBLE PRECISION,
  "cir" DOUBLE PRECISION,
  "naf" TEXT,
  "region" TEXT,
  "employment_zone" TEXT,
  PRIMARY KEY ("siren", "year")
);

CREATE TABLE "employment" (
  "level" TEXT NOT NULL,
  "code" TEXT NOT NULL,
  "sector" TEXT NOT NULL,
  "year" BIGINT NOT NULL,
  "jobs" DOUBLE PRECISION NOT NULL,
  PRIMARY KEY ("level", "code", "sector", "year")
);

CREATE TABLE "truth" (
  "key" TEXT NOT NULL,
  "value" DOUBLE PRECISION NOT NULL,
  "note" TEXT,
  PRIMARY KEY ("key")
);

