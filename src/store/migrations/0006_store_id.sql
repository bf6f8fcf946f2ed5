-- 0006: a random identity of the database, drawn once. Caches kept outside the database (the
-- snapshot's cache file) are stamped with it, so that another database created at the same path
-- or URL, whose data version may happen to be the same, is never taken for this one.

INSERT INTO "meta" ("key", "value") VALUES ('store_id', {{random_id}});
