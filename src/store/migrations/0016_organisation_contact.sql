-- 0016: what a member directory says about an organisation beyond its identity: its acronym,
-- postal address, website, and the themes and markets it declares ('|'-separated lists).

ALTER TABLE "organisation" ADD COLUMN "acronym" TEXT;
ALTER TABLE "organisation" ADD COLUMN "address" TEXT;
ALTER TABLE "organisation" ADD COLUMN "postcode" TEXT;
ALTER TABLE "organisation" ADD COLUMN "city" TEXT;
ALTER TABLE "organisation" ADD COLUMN "website" TEXT;
ALTER TABLE "organisation" ADD COLUMN "themes" TEXT;
ALTER TABLE "organisation" ADD COLUMN "markets" TEXT;
