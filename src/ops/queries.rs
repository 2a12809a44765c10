//! The one statement of operations: is the database answering?

use diesel::QueryResult;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub async fn ping(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).await?;
    Ok(())
}
