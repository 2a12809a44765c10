//! Closed sets of values (statuses, roles, consents, payment states, kinds) stored as `text`.
//!
//! Why `text` + CHECK rather than Postgres enum types: the columns already exist with CHECK
//! constraints listing their values, so no migration is needed, a value can be added or retired
//! with one `ALTER ... CHECK`, and dumps stay readable; diesel's own `AsExpression`/`FromSqlRow`
//! derives with `sql_type = Text` plus the impls below make each column a Rust enum. The CHECK
//! keeps the database honest; these impls keep Rust honest: an unknown value read from a row is a
//! deserialisation error, never a default.
//!
//! Each enum derives `AsExpression, FromSqlRow` with `#[diesel(sql_type = Text)]`, then names its
//! database spelling once with [`text_enum!`](crate::text_enum). Where the enum is also a wire type,
//! its serde spelling is the same (checked by the tests in this module).

/// The one mapping between an enum and its `text` spelling: `as_str`, `VALUES`, and diesel's
/// `ToSql`/`FromSql` for `Text` on Postgres. A string outside the list fails to deserialise.
#[macro_export]
macro_rules! text_enum {
    ($ty:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const VALUES: &'static [$ty] = &[$($ty::$variant),+];

            /// The spelling stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),+
                }
            }
        }

        impl ::diesel::serialize::ToSql<::diesel::sql_types::Text, ::diesel::pg::Pg> for $ty {
            fn to_sql<'b>(
                &'b self,
                out: &mut ::diesel::serialize::Output<'b, '_, ::diesel::pg::Pg>,
            ) -> ::diesel::serialize::Result {
                <str as ::diesel::serialize::ToSql<::diesel::sql_types::Text, ::diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl ::diesel::deserialize::FromSql<::diesel::sql_types::Text, ::diesel::pg::Pg> for $ty {
            fn from_sql(value: ::diesel::pg::PgValue<'_>) -> ::diesel::deserialize::Result<Self> {
                match ::std::str::from_utf8(value.as_bytes())? {
                    $($text => Ok($ty::$variant),)+
                    other => Err(format!(concat!("unknown ", stringify!($ty), " {:?} in the database"), other).into()),
                }
            }
        }
    };
}
