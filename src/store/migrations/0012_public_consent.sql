-- 0012: consent to the public portal. A member is listed on its cluster's public page only when
-- its membership says so (set by the member itself or the cluster's manager), and a project's
-- summary is public only when the project agreed to it (set by whoever keeps the project). Both
-- default to no: existing rows stay private until someone consents.

ALTER TABLE "membership" ADD COLUMN "listed" BIGINT;
ALTER TABLE "project" ADD COLUMN "public_summary" BIGINT;
