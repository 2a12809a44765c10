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

diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(resource_slugs -> resources (resource_id));
diesel::joinable!(resource_terms -> resources (resource_id));
diesel::joinable!(resource_terms -> vocabulary_terms (term_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log,
    refresh_tokens,
    resource_cards,
    resource_slugs,
    resource_terms,
    resources,
    sessions,
    users,
    vocabulary_terms,
);
