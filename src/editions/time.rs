//! An edition's agenda is written and shown in the edition's own time zone (IANA names, through
//! `chrono-tz`); timestamps are stored and also answered in UTC.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{FieldCode, FieldError};

/// The zone of a name like `America/Chicago`, or a 422 entry for `field`.
pub fn zone(name: &str, field: &str) -> Result<Tz, FieldError> {
    name.parse::<Tz>().map_err(|_| {
        FieldError::new(field, FieldCode::InvalidTimeZone, "must be an IANA time zone name such as America/Chicago")
    })
}

/// A wall-clock time in `tz` as a UTC instant. A time skipped by a daylight-saving change is
/// refused; one that happens twice is read as the first.
pub fn to_utc(tz: Tz, local: NaiveDateTime, field: &str) -> Result<DateTime<Utc>, FieldError> {
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)).ok_or_else(|| {
        FieldError::new(
            field,
            FieldCode::NonexistentTime,
            "does not exist in the edition's time zone (a daylight-saving gap)",
        )
    })
}

/// The wall-clock time in `tz` of a UTC instant.
pub fn to_local(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_times_round_trip_and_gaps_are_refused() {
        let tz = zone("America/Chicago", "time_zone").unwrap();
        let local: NaiveDateTime = "2027-04-15T09:00:00".parse().unwrap();
        let utc = to_utc(tz, local, "starts_local").unwrap();
        assert_eq!(utc.to_rfc3339(), "2027-04-15T14:00:00+00:00");
        assert_eq!(to_local(tz, utc), local);
        let gap: NaiveDateTime = "2027-03-14T02:30:00".parse().unwrap();
        assert_eq!(to_utc(tz, gap, "starts_local").unwrap_err().code, crate::error::FieldCode::NonexistentTime);
        assert!(zone("Mars/Olympus", "time_zone").is_err());
    }
}
