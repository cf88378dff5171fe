//! Hours of operation: when a contact centre is open, as openings on days of the week
//! in a time zone, and the other hours of operation it takes its overrides from.

use std::str::FromStr;

use crate::tags::Tags;
use crate::time::Modified;
use crate::DomainError;

/// Openings one hours of operation may list (the model's `Config` maximum).
pub const MAX_OPENINGS: usize = 100;
/// Parent hours of operation one may link to (the model's maximum).
pub const MAX_PARENTS: usize = 3;
/// Hours of operation an instance may hold: the real service's default quota.
pub const MAX_PER_INSTANCE: u64 = 100;

/// The name and description of the hours of operation every new instance has.
pub const BASIC_HOURS: &str = "Basic Hours";
/// The time zone of the instance's default hours of operation.
pub const BASIC_HOURS_TIME_ZONE: &str = "America/New_York";

/// A day of the week, as the model's `HoursOfOperationDays` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Day {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

impl Day {
    /// In the model's order.
    pub const ALL: [Day; 7] = [
        Day::Sunday,
        Day::Monday,
        Day::Tuesday,
        Day::Wednesday,
        Day::Thursday,
        Day::Friday,
        Day::Saturday,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Day::Sunday => "SUNDAY",
            Day::Monday => "MONDAY",
            Day::Tuesday => "TUESDAY",
            Day::Wednesday => "WEDNESDAY",
            Day::Thursday => "THURSDAY",
            Day::Friday => "FRIDAY",
            Day::Saturday => "SATURDAY",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Day, DomainError> {
        Day::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                DomainError::param(
                    field,
                    format!("{s} is not a day (SUNDAY, MONDAY, … SATURDAY)"),
                )
            })
    }
}

/// A time of day to the minute: hours 0–23, minutes 0–59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    /// Minutes since midnight, 0–1439.
    minute: u16,
}

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay { minute: 0 };

    /// `field` names the time slice (`Config[0].StartTime`); its members are named
    /// `Hours` and `Minutes` below it.
    pub fn parse(field: &str, hours: i64, minutes: i64) -> Result<TimeOfDay, DomainError> {
        if !(0..=23).contains(&hours) {
            return Err(DomainError::param(
                format!("{field}.Hours"),
                "must be between 0 and 23",
            ));
        }
        if !(0..=59).contains(&minutes) {
            return Err(DomainError::param(
                format!("{field}.Minutes"),
                "must be between 0 and 59",
            ));
        }
        Ok(TimeOfDay {
            minute: (hours * 60 + minutes) as u16,
        })
    }

    /// From minutes since midnight as a store kept them; `None` outside 0–1439.
    pub fn from_minute_of_day(minute: i64) -> Option<TimeOfDay> {
        (0..24 * 60).contains(&minute).then_some(TimeOfDay {
            minute: minute as u16,
        })
    }

    pub fn minute_of_day(self) -> u16 {
        self.minute
    }
    pub fn hours(self) -> u8 {
        (self.minute / 60) as u8
    }
    pub fn minutes(self) -> u8 {
        (self.minute % 60) as u8
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hours(), self.minutes())
    }
}

/// One opening on a day: from `start` until `end`. An end of 00:00 is the midnight
/// that closes the day (the admin guide's "10:00AM to 12:00AM" is open 14 hours), so
/// 00:00 to 00:00 is the whole day; any other end comes after the start on the same
/// day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    day: Day,
    start: TimeOfDay,
    end: TimeOfDay,
}

impl Opening {
    /// `field` names the entry (`Config[2]`).
    pub fn new(
        field: &str,
        day: Day,
        start: TimeOfDay,
        end: TimeOfDay,
    ) -> Result<Opening, DomainError> {
        let opening = Opening { day, start, end };
        let (from, until) = opening.span();
        if from >= until {
            return Err(DomainError::param(
                format!("{field}.EndTime"),
                format!(
                    "{end} is not after StartTime {start}; an opening ends later on its own day, \
                     or at 00:00 for the midnight that ends the day"
                ),
            ));
        }
        Ok(opening)
    }

    pub fn day(&self) -> Day {
        self.day
    }
    pub fn start(&self) -> TimeOfDay {
        self.start
    }
    pub fn end(&self) -> TimeOfDay {
        self.end
    }

    /// Minutes of the day it covers, `[from, until)`, with the closing midnight as 1440.
    fn span(&self) -> (u16, u16) {
        let until = match self.end.minute {
            0 => 24 * 60,
            m => m,
        };
        (self.start.minute, until)
    }
}

/// The openings of a week, in the order given: at most [`MAX_OPENINGS`], and no two
/// openings of one day overlap (a day may have several, such as a morning and an
/// afternoon around a lunch break). A day with no opening is closed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    openings: Vec<Opening>,
}

impl WeeklyHours {
    /// `field` names the list (`Config`); openings are named by their index in it.
    pub fn new(field: &str, openings: Vec<Opening>) -> Result<WeeklyHours, DomainError> {
        if openings.len() > MAX_OPENINGS {
            return Err(DomainError::param(
                field,
                format!("must have at most {MAX_OPENINGS} entries"),
            ));
        }
        for (i, a) in openings.iter().enumerate() {
            for (j, b) in openings.iter().enumerate().take(i) {
                let ((a0, a1), (b0, b1)) = (a.span(), b.span());
                if a.day == b.day && a0 < b1 && b0 < a1 {
                    return Err(DomainError::param(
                        format!("{field}[{i}]"),
                        format!(
                            "{} {}-{} overlaps {field}[{j}], {} {}-{}; openings of one day must not overlap",
                            a.day.as_str(),
                            a.start,
                            a.end,
                            b.day.as_str(),
                            b.start,
                            b.end
                        ),
                    ));
                }
            }
        }
        Ok(WeeklyHours { openings })
    }

    /// Open all day on every day of the week.
    pub fn always_open() -> WeeklyHours {
        WeeklyHours {
            openings: Day::ALL
                .into_iter()
                .map(|day| Opening {
                    day,
                    start: TimeOfDay::MIDNIGHT,
                    end: TimeOfDay::MIDNIGHT,
                })
                .collect(),
        }
    }

    /// Openings as a store kept them: `(day, start, end)` with times in minutes since
    /// midnight. `None` when they are not what [`WeeklyHours::new`] accepts.
    pub fn from_stored(rows: impl IntoIterator<Item = (String, i64, i64)>) -> Option<WeeklyHours> {
        let mut openings = Vec::new();
        for (day, start, end) in rows {
            openings.push(
                Opening::new(
                    "Config",
                    Day::parse("Config", &day).ok()?,
                    TimeOfDay::from_minute_of_day(start)?,
                    TimeOfDay::from_minute_of_day(end)?,
                )
                .ok()?,
            );
        }
        WeeklyHours::new("Config", openings).ok()
    }

    pub fn openings(&self) -> &[Opening] {
        &self.openings
    }
}

/// A time zone of the IANA time zone database (`America/New_York`, `UTC`, and the
/// legacy names it keeps, such as `EST` or `EST5EDT`), as spelled there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZone(String);

impl TimeZone {
    pub fn parse(field: &str, s: &str) -> Result<TimeZone, DomainError> {
        match chrono_tz::Tz::from_str(s) {
            Ok(tz) if tz.name() == s => Ok(TimeZone(s.to_string())),
            _ => Err(DomainError::param(
                field,
                format!(
                    "{s:?} is not a time zone of the IANA time zone database \
                     (for example America/New_York, Europe/London or UTC)"
                ),
            )),
        }
    }

    /// A time zone as a store kept it; `None` when it is not one [`TimeZone::parse`]
    /// accepts.
    pub fn from_stored(s: String) -> Option<TimeZone> {
        TimeZone::parse("TimeZone", &s).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The other hours of operation whose overrides these take: at most [`MAX_PARENTS`],
/// each named once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParentHours(Vec<String>);

impl ParentHours {
    /// `field` names the list (`ParentHoursOfOperationConfigs`); each entry's id is
    /// its `HoursOfOperationId`, which the model leaves optional but a link needs.
    pub fn parse(field: &str, ids: Vec<Option<String>>) -> Result<ParentHours, DomainError> {
        if ids.len() > MAX_PARENTS {
            return Err(DomainError::param(
                field,
                format!("must have at most {MAX_PARENTS} entries"),
            ));
        }
        let mut out: Vec<String> = Vec::with_capacity(ids.len());
        for (i, id) in ids.into_iter().enumerate() {
            let member = format!("{field}[{i}].HoursOfOperationId");
            let id = match id {
                Some(id) if !id.is_empty() => id,
                _ => return Err(DomainError::request(member, "is required")),
            };
            if out.contains(&id) {
                return Err(DomainError::param(
                    member,
                    format!("hours of operation {id} is named more than once"),
                ));
            }
            out.push(id);
        }
        Ok(ParentHours(out))
    }

    /// Parent ids as a store kept them, in order; `None` when they break the rules.
    pub fn from_stored(ids: Vec<String>) -> Option<ParentHours> {
        ParentHours::parse(
            "ParentHoursOfOperationConfigs",
            ids.into_iter().map(Some).collect(),
        )
        .ok()
    }

    pub fn ids(&self) -> &[String] {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursOfOperation {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub time_zone: TimeZone,
    pub config: WeeklyHours,
    pub parents: ParentHours,
    pub tags: Tags,
    pub modified: Modified,
}

impl HoursOfOperation {
    /// The `Basic Hours` a new instance has: open all day, every day.
    pub fn basic(id: String, modified: Modified) -> HoursOfOperation {
        HoursOfOperation {
            id,
            name: BASIC_HOURS.to_string(),
            description: Some(BASIC_HOURS.to_string()),
            time_zone: TimeZone(BASIC_HOURS_TIME_ZONE.to_string()),
            config: WeeklyHours::always_open(),
            parents: ParentHours::default(),
            tags: Tags::new(),
            modified,
        }
    }
}

/// What UpdateHoursOfOperation changes: each member sent replaces the stored one,
/// members not sent stay. Parents and tags change through their own operations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HoursChange {
    pub name: Option<String>,
    /// `Some(None)` removes the description.
    pub description: Option<Option<String>>,
    pub time_zone: Option<TimeZone>,
    pub config: Option<WeeklyHours>,
}

impl HoursChange {
    /// The change made to `hours`, stamped with `modified`.
    pub fn apply(&self, hours: &mut HoursOfOperation, modified: &Modified) {
        if let Some(name) = &self.name {
            hours.name = name.clone();
        }
        if let Some(description) = &self.description {
            hours.description = description.clone();
        }
        if let Some(tz) = &self.time_zone {
            hours.time_zone = tz.clone();
        }
        if let Some(config) = &self.config {
            hours.config = config.clone();
        }
        hours.modified = modified.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    fn t(h: i64, m: i64) -> TimeOfDay {
        TimeOfDay::parse("T", h, m).unwrap()
    }

    fn open(day: Day, from: (i64, i64), until: (i64, i64)) -> Result<Opening, DomainError> {
        Opening::new("Config[0]", day, t(from.0, from.1), t(until.0, until.1))
    }

    #[test]
    fn times_are_hours_and_minutes_of_a_day() {
        assert_eq!(t(23, 59).minute_of_day(), 1439);
        assert_eq!((t(9, 5).hours(), t(9, 5).minutes()), (9, 5));
        assert_eq!(t(9, 5).to_string(), "09:05");
        let e = TimeOfDay::parse("Config[1].EndTime", 24, 0).unwrap_err();
        assert_eq!(e.field(), "Config[1].EndTime.Hours");
        let e = TimeOfDay::parse("Config[1].EndTime", 0, 60).unwrap_err();
        assert_eq!(e.field(), "Config[1].EndTime.Minutes");
        assert!(TimeOfDay::parse("T", -1, 0).is_err());
        assert_eq!(TimeOfDay::from_minute_of_day(1440), None);
    }

    #[test]
    fn an_opening_ends_after_it_starts_or_at_midnight() {
        assert!(open(Day::Monday, (8, 0), (23, 8)).is_ok());
        // 10:00 to midnight, and the whole day.
        assert!(open(Day::Monday, (10, 0), (0, 0)).is_ok());
        assert!(open(Day::Monday, (0, 0), (0, 0)).is_ok());
        let e = open(Day::Monday, (17, 0), (9, 0)).unwrap_err();
        assert_eq!(e.field(), "Config[0].EndTime");
        assert!(matches!(e, DomainError::InvalidParameter { .. }));
        assert!(open(Day::Monday, (9, 0), (9, 0)).is_err());
    }

    #[test]
    fn openings_of_one_day_do_not_overlap() {
        let morning = open(Day::Saturday, (8, 0), (11, 0)).unwrap();
        let afternoon = open(Day::Saturday, (13, 0), (17, 0)).unwrap();
        let sunday = open(Day::Sunday, (9, 0), (12, 0)).unwrap();
        let week = WeeklyHours::new("Config", vec![morning, afternoon, sunday]).unwrap();
        assert_eq!(week.openings().len(), 3);
        // Touching is not overlapping.
        let until_one = open(Day::Saturday, (11, 0), (13, 0)).unwrap();
        assert!(WeeklyHours::new("Config", vec![morning, until_one, afternoon]).is_ok());
        let late = open(Day::Saturday, (10, 0), (0, 0)).unwrap();
        let e = WeeklyHours::new("Config", vec![morning, sunday, late]).unwrap_err();
        assert_eq!(e.field(), "Config[2]");
        assert!(e.to_string().contains("Config[0]"), "{e}");
        let e = WeeklyHours::new("Config", vec![morning, morning]).unwrap_err();
        assert_eq!(e.field(), "Config[1]");
        let many = vec![morning; MAX_OPENINGS + 1];
        assert_eq!(
            WeeklyHours::new("Config", many).unwrap_err().field(),
            "Config"
        );
        assert!(WeeklyHours::new("Config", Vec::new())
            .unwrap()
            .openings()
            .is_empty());
    }

    #[test]
    fn stored_openings_must_be_ones_the_rules_allow() {
        let ok = WeeklyHours::from_stored([("MONDAY".to_string(), 480, 0)]).unwrap();
        assert_eq!(ok.openings()[0].start(), t(8, 0));
        assert!(WeeklyHours::from_stored([("FUNDAY".to_string(), 0, 0)]).is_none());
        assert!(WeeklyHours::from_stored([("MONDAY".to_string(), 600, 540)]).is_none());
        assert!(WeeklyHours::from_stored([("MONDAY".to_string(), 0, 1440)]).is_none());
    }

    #[test]
    fn time_zones_are_iana_names() {
        for ok in [
            "America/New_York",
            "UTC",
            "EST",
            "EST5EDT",
            "Europe/Zurich",
            "Etc/GMT+5",
        ] {
            assert_eq!(TimeZone::parse("TimeZone", ok).unwrap().as_str(), ok);
        }
        for bad in ["", "Mars/Olympus_Mons", "america/new_york", "GMT+5", " UTC"] {
            let e = TimeZone::parse("TimeZone", bad).unwrap_err();
            assert_eq!(e.field(), "TimeZone", "{bad}");
        }
    }

    #[test]
    fn parents_are_named_once_each() {
        let p = ParentHours::parse("P", vec![Some("a".into()), Some("b".into())]).unwrap();
        assert_eq!(p.ids(), ["a", "b"]);
        let e = ParentHours::parse("P", vec![Some("a".into()), Some("a".into())]).unwrap_err();
        assert_eq!(e.field(), "P[1].HoursOfOperationId");
        let e = ParentHours::parse("P", vec![None]).unwrap_err();
        assert!(matches!(e, DomainError::InvalidRequest { .. }));
        let four = (0..4).map(|i| Some(i.to_string())).collect();
        assert_eq!(ParentHours::parse("P", four).unwrap_err().field(), "P");
    }

    #[test]
    fn the_default_hours_are_open_all_week_and_a_change_keeps_what_it_does_not_name() {
        let m = |ms| Modified {
            time: Timestamp(ms),
            region: "us-east-1".into(),
        };
        let mut h = HoursOfOperation::basic("h".into(), m(1));
        assert_eq!(h.config.openings().len(), 7);
        assert!(h
            .config
            .openings()
            .iter()
            .all(|o| o.start() == TimeOfDay::MIDNIGHT && o.end() == TimeOfDay::MIDNIGHT));
        assert_eq!(
            TimeZone::from_stored(h.time_zone.as_str().into()),
            Some(h.time_zone.clone())
        );
        let change = HoursChange {
            description: Some(None),
            time_zone: Some(TimeZone::parse("TimeZone", "UTC").unwrap()),
            ..HoursChange::default()
        };
        change.apply(&mut h, &m(2));
        assert_eq!(h.name, BASIC_HOURS);
        assert_eq!(h.description, None);
        assert_eq!(h.time_zone.as_str(), "UTC");
        assert_eq!(h.config, WeeklyHours::always_open());
        assert_eq!(h.modified, m(2));
    }
}
