-- The annual conference: editions with their calendar, lodging and awards, the agenda, registration
-- types with capacities that Postgres never lets be exceeded, registrations with a waiting list, and
-- calls for proposals with their reviews.

CREATE TABLE conferences (
    id              uuid PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 80),
    name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    theme           text NOT NULL DEFAULT '' CHECK (char_length(theme) <= 300),
    starts_on       date NOT NULL,
    ends_on         date NOT NULL,
    -- An IANA zone name (checked by the service): sessions are shown in it.
    time_zone       text NOT NULL,
    venue           text NOT NULL DEFAULT '' CHECK (char_length(venue) <= 300),
    city            text NOT NULL DEFAULT '' CHECK (char_length(city) <= 200),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    -- Small lists edited as a whole with the edition: hotels, the calendar, the awards.
    lodging         jsonb NOT NULL DEFAULT '[]'::jsonb,
    important_dates jsonb NOT NULL DEFAULT '[]'::jsonb,
    awards          jsonb NOT NULL DEFAULT '[]'::jsonb,
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX conferences_dates ON conferences (starts_on);

CREATE TABLE registration_types (
    id              uuid PRIMARY KEY,
    conference_id   uuid NOT NULL REFERENCES conferences (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
    price_minor     bigint NOT NULL CHECK (price_minor >= 0),
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    capacity        integer NOT NULL CHECK (capacity >= 0),
    -- Kept by the trigger below from the registrations themselves; the CHECK is what makes
    -- overselling impossible, whatever the service does.
    seats_taken     integer NOT NULL DEFAULT 0,
    -- The last waiting-list position handed out.
    waitlist_last   integer NOT NULL DEFAULT 0,
    sales_start     timestamptz,
    sales_end       timestamptz,
    position        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conference_id, name),
    CONSTRAINT registration_types_capacity CHECK (seats_taken BETWEEN 0 AND capacity),
    CHECK (sales_end IS NULL OR sales_start IS NULL OR sales_end > sales_start)
);
CREATE INDEX registration_types_conference ON registration_types (conference_id, position);

CREATE TABLE registrations (
    id                  uuid PRIMARY KEY,
    conference_id       uuid NOT NULL REFERENCES conferences (id) ON DELETE CASCADE,
    registration_type_id uuid NOT NULL REFERENCES registration_types (id) ON DELETE RESTRICT,
    -- Short and human-friendly (Crockford base32); the manage token is stored only as SHA-256.
    code                text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{8}$'),
    token_hash          bytea NOT NULL,
    name                text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    email               text CHECK (email = lower(email)),
    institution         text NOT NULL DEFAULT '' CHECK (char_length(institution) <= 200),
    role                text NOT NULL DEFAULT '' CHECK (char_length(role) <= 200),
    profession          text NOT NULL DEFAULT '' CHECK (char_length(profession) <= 200),
    accessibility_needs text NOT NULL DEFAULT '' CHECK (char_length(accessibility_needs) <= 2000),
    dietary_needs       text NOT NULL DEFAULT '' CHECK (char_length(dietary_needs) <= 2000),
    consent             boolean NOT NULL,
    status              text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    waitlist_position   integer,
    payment_status      text NOT NULL DEFAULT 'unpaid' CHECK (payment_status IN ('unpaid', 'paid', 'waived')),
    checked_in_at       timestamptz,
    confirmed_at        timestamptz,
    cancelled_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'waitlisted' OR waitlist_position IS NOT NULL)
);
-- One live registration per person and edition.
CREATE UNIQUE INDEX registrations_one_per_person ON registrations (conference_id, email) WHERE status <> 'cancelled';
CREATE INDEX registrations_waitlist ON registrations (registration_type_id, waitlist_position) WHERE status = 'waitlisted';
CREATE INDEX registrations_conference ON registrations (conference_id, created_at, id);
CREATE INDEX registrations_email ON registrations (email);

-- seats_taken follows the confirmed registrations of each type, so the capacity CHECK above holds
-- against every write, not only the service's.
CREATE FUNCTION registrations_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
        UPDATE registration_types SET seats_taken = seats_taken - 1 WHERE id = OLD.registration_type_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
        UPDATE registration_types SET seats_taken = seats_taken + 1 WHERE id = NEW.registration_type_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER registrations_count_seats AFTER INSERT OR DELETE OR UPDATE OF status, registration_type_id ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_count_seats();

CREATE TABLE proposal_calls (
    id              uuid PRIMARY KEY,
    conference_id   uuid NOT NULL REFERENCES conferences (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('presentation', 'workshop', 'poster')),
    title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
    opens_at        timestamptz,
    deadline        timestamptz NOT NULL,
    word_limit      integer NOT NULL CHECK (word_limit BETWEEN 1 AND 10000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposal_calls_conference ON proposal_calls (conference_id, deadline);

CREATE TABLE proposals (
    id                  uuid PRIMARY KEY,
    conference_id       uuid NOT NULL REFERENCES conferences (id) ON DELETE CASCADE,
    call_id             uuid NOT NULL REFERENCES proposal_calls (id) ON DELETE RESTRICT,
    title               text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 300),
    abstract            text NOT NULL CHECK (char_length(abstract) BETWEEN 1 AND 100000),
    authors             text[] NOT NULL,
    presenter_name      text CHECK (char_length(presenter_name) BETWEEN 1 AND 200),
    presenter_email     text CHECK (presenter_email = lower(presenter_email)),
    track               text NOT NULL DEFAULT '' CHECK (char_length(track) <= 120),
    status              text NOT NULL DEFAULT 'submitted'
                        CHECK (status IN ('submitted', 'under_review', 'accepted', 'rejected', 'withdrawn')),
    decided_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposals_conference ON proposals (conference_id, status, created_at);
CREATE INDEX proposals_presenter_email ON proposals (presenter_email);

-- Reviewers' scores and notes: staff only, never public.
CREATE TABLE proposal_reviews (
    id          uuid PRIMARY KEY,
    proposal_id uuid NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    reviewer_id uuid REFERENCES users (id) ON DELETE SET NULL,
    score       integer NOT NULL CHECK (score BETWEEN 1 AND 5),
    notes       text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 5000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (proposal_id, reviewer_id)
);

CREATE TABLE conference_sessions (
    id              uuid PRIMARY KEY,
    conference_id   uuid NOT NULL REFERENCES conferences (id) ON DELETE CASCADE,
    title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
    abstract        text NOT NULL DEFAULT '' CHECK (char_length(abstract) <= 100000),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    track           text NOT NULL DEFAULT '' CHECK (char_length(track) <= 120),
    room            text NOT NULL DEFAULT '' CHECK (char_length(room) <= 120),
    speakers        text[] NOT NULL DEFAULT '{}',
    proposal_id     uuid UNIQUE REFERENCES proposals (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX conference_sessions_agenda ON conference_sessions (conference_id, starts_at, id);
