// @generated automatically by Diesel CLI.

diesel::table! {
    audit_log (id) {
        id -> Int8,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        details -> Jsonb,
        request_id -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        session_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    resource_slugs (slug) {
        slug -> Text,
        resource_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    served_cards (resource_id) {
        resource_id -> Uuid,
        slug -> Text,
        body -> Text,
        etag -> Text,
    }
}

diesel::table! {
    resource_terms (resource_id, term_id) {
        resource_id -> Uuid,
        term_id -> Int4,
    }
}

// A view: a resource with the ids of its linked vocabulary values (migration 3).
diesel::table! {
    resource_cards (id) {
        id -> Uuid,
        slug -> Text,
        title -> Text,
        summary -> Text,
        url -> Nullable<Text>,
        resource_type_id -> Int4,
        year -> Nullable<Int4>,
        authors -> Array<Text>,
        source -> Nullable<Text>,
        doi -> Nullable<Text>,
        open_access -> Bool,
        status -> Text,
        is_spotlight -> Bool,
        published_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        term_ids -> Array<Int4>,
    }
}

// `search` (tsvector) is left out: full-text conditions are written as SQL in the queries.
diesel::table! {
    resources (id) {
        id -> Uuid,
        slug -> Text,
        title -> Text,
        summary -> Text,
        url -> Nullable<Text>,
        resource_type_id -> Int4,
        resource_type_vocab -> Text,
        year -> Nullable<Int4>,
        authors -> Array<Text>,
        source -> Nullable<Text>,
        doi -> Nullable<Text>,
        open_access -> Bool,
        status -> Text,
        is_spotlight -> Bool,
        published_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        suggestion_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        is_active -> Bool,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    vocabulary_terms (id) {
        id -> Int4,
        vocabulary -> Text,
        slug -> Text,
        label -> Text,
        description -> Text,
        position -> Int4,
        retired_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    vocabularies (vocabulary) {
        vocabulary -> Text,
        heading -> Text,
        introduction -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    champion_nominations (id) {
        id -> Uuid,
        nominee_name -> Text,
        nominee_role -> Text,
        nominee_institution -> Text,
        profession_id -> Int4,
        profession_vocab -> Text,
        nominee_email -> Nullable<Text>,
        health_equity_work -> Text,
        self_nomination -> Bool,
        nominator_name -> Nullable<Text>,
        nominator_email -> Nullable<Text>,
        consent_to_feature -> Bool,
        nominee_consent -> Text,
        consent_token_hash -> Nullable<Bytea>,
        consent_requested_at -> Nullable<Timestamptz>,
        consent_answered_at -> Nullable<Timestamptz>,
        status -> Text,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        decided_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    champions (id) {
        id -> Uuid,
        nomination_id -> Nullable<Uuid>,
        slug -> Text,
        name -> Text,
        role -> Text,
        institution -> Text,
        profession_id -> Int4,
        profession_vocab -> Text,
        story -> Text,
        photo_url -> Nullable<Text>,
        status -> Text,
        published_on -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Bytea,
        response_status -> Nullable<Int2>,
        response_location -> Nullable<Text>,
        created_at -> Timestamptz,
        response_sealed -> Nullable<Bytea>,
    }
}

diesel::table! {
    newsletter_subscribers (id) {
        id -> Uuid,
        email -> Text,
        name -> Nullable<Text>,
        status -> Text,
        consent_at -> Timestamptz,
        confirmation_sent_at -> Nullable<Timestamptz>,
        confirmed_at -> Nullable<Timestamptz>,
        unsubscribed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    newsletter_tokens (token_hash) {
        token_hash -> Bytea,
        subscriber_id -> Nullable<Uuid>,
        purpose -> Text,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    outbox (id) {
        id -> Int8,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Nullable<Text>,
        headers -> Nullable<Jsonb>,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        sealed -> Nullable<Bytea>,
    }
}

diesel::table! {
    suggestions (id) {
        id -> Uuid,
        title -> Text,
        url -> Text,
        why -> Text,
        domains -> Array<Text>,
        topics -> Array<Text>,
        professions -> Array<Text>,
        submitter_name -> Nullable<Text>,
        submitter_email -> Nullable<Text>,
        consent_to_contact -> Bool,
        status -> Text,
        resource_id -> Nullable<Uuid>,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        decided_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    conferences (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        theme -> Text,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        time_zone -> Text,
        venue -> Text,
        city -> Text,
        description -> Text,
        lodging -> Jsonb,
        important_dates -> Jsonb,
        awards -> Jsonb,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        year -> Int4,
    }
}

diesel::table! {
    registration_types (id) {
        id -> Uuid,
        conference_id -> Uuid,
        name -> Text,
        description -> Text,
        price_minor -> Int8,
        currency -> Text,
        capacity -> Int4,
        seats_taken -> Int4,
        waitlist_last -> Int4,
        sales_start -> Nullable<Timestamptz>,
        sales_end -> Nullable<Timestamptz>,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    registrations (id) {
        id -> Uuid,
        conference_id -> Uuid,
        registration_type_id -> Uuid,
        code -> Text,
        token_hash -> Bytea,
        name -> Text,
        email -> Nullable<Text>,
        institution -> Text,
        role -> Text,
        profession -> Text,
        accessibility_needs -> Text,
        dietary_needs -> Text,
        consent -> Bool,
        status -> Text,
        waitlist_position -> Nullable<Int4>,
        payment_status -> Text,
        checked_in_at -> Nullable<Timestamptz>,
        confirmed_at -> Nullable<Timestamptz>,
        cancelled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    proposal_calls (id) {
        id -> Uuid,
        conference_id -> Uuid,
        kind -> Text,
        title -> Text,
        description -> Text,
        opens_at -> Nullable<Timestamptz>,
        deadline -> Timestamptz,
        word_limit -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    proposals (id) {
        id -> Uuid,
        conference_id -> Uuid,
        call_id -> Uuid,
        title -> Text,
        #[sql_name = "abstract"]
        abstract_ -> Text,
        authors -> Array<Text>,
        presenter_name -> Nullable<Text>,
        presenter_email -> Nullable<Text>,
        track -> Text,
        status -> Text,
        decided_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    proposal_reviews (id) {
        id -> Uuid,
        proposal_id -> Uuid,
        reviewer_id -> Nullable<Uuid>,
        score -> Int4,
        notes -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    conference_sessions (id) {
        id -> Uuid,
        conference_id -> Uuid,
        title -> Text,
        #[sql_name = "abstract"]
        abstract_ -> Text,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        track -> Text,
        room -> Text,
        speakers -> Array<Text>,
        proposal_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    partners (id) {
        id -> Uuid,
        institution -> Text,
        contact_name -> Text,
        contact_email -> Nullable<Text>,
        notes -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Uuid,
        partner_id -> Uuid,
        name -> Text,
        prefix -> Text,
        key_hash -> Bytea,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
        request_count -> Int8,
    }
}

// `txid` (xid8) is left out: only the database reads it.
diesel::table! {
    library_changes (seq) {
        seq -> Int8,
        resource_id -> Uuid,
        kind -> Text,
        slug -> Text,
        changed_at -> Timestamptz,
    }
}

diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(resource_slugs -> resources (resource_id));
diesel::joinable!(resource_terms -> resources (resource_id));
diesel::joinable!(served_cards -> resources (resource_id));
diesel::joinable!(resource_terms -> vocabulary_terms (term_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(newsletter_tokens -> newsletter_subscribers (subscriber_id));
diesel::joinable!(champions -> champion_nominations (nomination_id));
diesel::joinable!(registration_types -> conferences (conference_id));
diesel::joinable!(registrations -> registration_types (registration_type_id));
diesel::joinable!(proposals -> proposal_calls (call_id));
diesel::joinable!(proposal_reviews -> proposals (proposal_id));
diesel::joinable!(conference_sessions -> conferences (conference_id));
diesel::joinable!(api_keys -> partners (partner_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    audit_log,
    champion_nominations,
    champions,
    conference_sessions,
    conferences,
    idempotency_keys,
    library_changes,
    newsletter_subscribers,
    newsletter_tokens,
    outbox,
    partners,
    proposal_calls,
    proposal_reviews,
    proposals,
    registration_types,
    registrations,
    suggestions,
    refresh_tokens,
    resource_cards,
    served_cards,
    resource_slugs,
    resource_terms,
    resources,
    sessions,
    users,
    vocabularies,
    vocabulary_terms,
);
