-- Safety (issue 11): no live secret at rest, consent only from the nominee's mailbox.

-- The outbox keeps a message's body and headers (which hold links with live tokens) sealed with
-- the service's data key (src/crypto.rs), never in clear. A sent message loses its sealed body at
-- once; the retention period then removes the row. `body` and `headers` remain, nullable, only for
-- rows written before this migration: the service seals them at start-up (jobs::outbox::seal_legacy).
ALTER TABLE outbox ADD COLUMN sealed bytea;
ALTER TABLE outbox ALTER COLUMN body DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN headers DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN headers DROP DEFAULT;
UPDATE outbox SET body = NULL, headers = NULL WHERE status = 'sent';

-- Replayed answers of public POSTs (a registration's holds its manage token) are sealed too.
-- Keys live a day; the stored answers of before this migration cannot be sealed in SQL, so they
-- go (a retry of a request made before the upgrade is then treated as a new request).
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP COLUMN response_body;
ALTER TABLE idempotency_keys ADD COLUMN response_sealed bytea;

-- Consent comes only from the nominee's mailbox: 'given' now means "agreed through the emailed
-- link". A consent that only a form claimed (self-nominations until now) becomes 'unconfirmed':
-- such a nomination cannot be approved until the nominee agrees through a link that staff can
-- have sent (POST /api/v1/admin/champion-nominations/{id}/consent-request).
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'champion_nominations'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%nominee_consent%'
    LOOP
        EXECUTE format('ALTER TABLE champion_nominations DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
UPDATE champion_nominations SET nominee_consent = 'unconfirmed'
 WHERE nominee_consent = 'given' AND consent_answered_at IS NULL;
-- A spotlight published on such a claim is taken down until the person agrees.
UPDATE champions SET status = 'unpublished', updated_at = now()
 WHERE status = 'published'
   AND nomination_id IN (SELECT id FROM champion_nominations WHERE nominee_consent = 'unconfirmed');
ALTER TABLE champion_nominations
    ADD CONSTRAINT champion_nominations_nominee_consent_check
        CHECK (nominee_consent IN ('given', 'declined', 'requested', 'unconfirmed')),
    -- 'given' is only ever the nominee's own answer through the link.
    ADD CONSTRAINT champion_nominations_given_through_link
        CHECK (nominee_consent <> 'given' OR consent_answered_at IS NOT NULL),
    -- Approved only with the nominee's answer (who may withdraw it later), or before this rule.
    ADD CONSTRAINT champion_nominations_approved_with_consent
        CHECK (status <> 'approved' OR consent_answered_at IS NOT NULL OR nominee_consent = 'unconfirmed');
