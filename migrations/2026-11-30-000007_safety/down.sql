ALTER TABLE champion_nominations
    DROP CONSTRAINT champion_nominations_approved_with_consent,
    DROP CONSTRAINT champion_nominations_given_through_link,
    DROP CONSTRAINT champion_nominations_nominee_consent_check;
UPDATE champion_nominations SET nominee_consent = 'given' WHERE nominee_consent = 'unconfirmed';
ALTER TABLE champion_nominations
    ADD CONSTRAINT champion_nominations_nominee_consent_check CHECK (nominee_consent IN ('given', 'declined', 'requested')),
    ADD CONSTRAINT champion_nominations_check CHECK (status <> 'approved' OR nominee_consent = 'given' OR consent_answered_at IS NOT NULL);

-- Sealed answers and bodies cannot be opened in SQL: they go.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP COLUMN response_sealed;
ALTER TABLE idempotency_keys ADD COLUMN response_body text;

DELETE FROM outbox WHERE body IS NULL;
ALTER TABLE outbox DROP COLUMN sealed;
ALTER TABLE outbox ALTER COLUMN headers SET DEFAULT '{}'::jsonb;
ALTER TABLE outbox ALTER COLUMN headers SET NOT NULL;
ALTER TABLE outbox ALTER COLUMN body SET NOT NULL;
