-- 0021: the aid a project asked for (issue #23 item 9). With the aid granted, it gives the share
-- of its request a project was funded at, which the success model reads: a project funded at a
-- third of what it asked for is not the project that was reviewed.

ALTER TABLE "project" ADD COLUMN "requested_aid" DOUBLE PRECISION;
