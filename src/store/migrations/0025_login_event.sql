-- 0025: password checks that failed or succeeded, shared by the servers of one store (issue #25
-- item 5): each server's throttle (app::LoginThrottle) applies the others' outcomes before every
-- check, so that the allowance of wrong passwords holds across servers. "at" is the database's
-- clock (seconds since 1970), so that servers on different hosts agree on the age of an event.
-- Kept an hour at most (the throttle forgets after that). Not registry data: writing here does not
-- move the data version.
CREATE TABLE "login_event" (
  "seq" {{serial_pk}},
  "server" TEXT NOT NULL,
  "account" TEXT NOT NULL,
  "address" TEXT NOT NULL,
  "failed" INTEGER NOT NULL,
  "at" DOUBLE PRECISION NOT NULL
);
CREATE INDEX "login_event_at" ON "login_event" ("at");
