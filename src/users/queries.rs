//! All SQL of staff users.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::json::Role;
use super::model::{NewUser, User, UserChanges};
use crate::db::schema::users;
use crate::extract::PageRequest;
use crate::values::Email;

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table).values(new).returning(User::as_returning()).get_result(conn).await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<User>> {
    users::table.find(id).select(User::as_select()).first(conn).await.optional()
}

pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &Email) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email.as_ref())).select(User::as_select()).first(conn).await.optional()
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    role: Option<Role>,
    active: Option<bool>,
    page: PageRequest,
) -> QueryResult<(Vec<User>, i64)> {
    let filtered = || {
        let mut q = users::table.into_boxed();
        if let Some(role) = role {
            q = q.filter(users::role.eq(role));
        }
        if let Some(active) = active {
            q = q.filter(users::is_active.eq(active));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows = filtered()
        .order((users::created_at.asc(), users::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(User::as_select())
        .load(conn)
        .await?;
    Ok((rows, total))
}

pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, changes: &UserChanges) -> QueryResult<User> {
    diesel::update(users::table.find(id)).set(changes).returning(User::as_returning()).get_result(conn).await
}

pub async fn touch_last_login(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(id)).set(users::last_login_at.eq(diesel::dsl::now)).execute(conn).await?;
    Ok(())
}

pub async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn).await
}

pub async fn active(conn: &mut AsyncPgConnection) -> QueryResult<Vec<User>> {
    users::table.filter(users::is_active.eq(true)).select(User::as_select()).load(conn).await
}

pub async fn deactivate(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::is_active.eq(false), users::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
        .await?;
    Ok(())
}
