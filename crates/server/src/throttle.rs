//! Throttling emulation (`--throttle`): each API its own token bucket per account and
//! Region, as Amazon Connect keeps them, checked once the request is authenticated and
//! routed and before any of its work, so a throttled request changes nothing.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use roster_api::{ApiError, ErrorCode};

/// A steady rate with a burst: a bucket of `burst` tokens refilled at `rate` a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApiQuota {
    pub rate: f64,
    pub burst: u32,
}

impl fmt::Display for ApiQuota {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} requests per second with a burst of {}",
            self.rate, self.burst
        )
    }
}

/// The real service's default quota for an API the table below does not name.
pub const AWS_DEFAULT_QUOTA: ApiQuota = ApiQuota {
    rate: 2.0,
    burst: 5,
};

/// The APIs whose default quota differs from [`AWS_DEFAULT_QUOTA`], from "API throttling
/// quotas" in the Amazon Connect Administrator Guide (service quotas page): the two
/// metrics APIs at 5 requests per second with a burst of 8; every other API at 2 with a
/// burst of 5.
pub const AWS_QUOTAS: &[(&str, ApiQuota)] = &[
    (
        "GetCurrentMetricData",
        ApiQuota {
            rate: 5.0,
            burst: 8,
        },
    ),
    (
        "GetMetricData",
        ApiQuota {
            rate: 5.0,
            burst: 8,
        },
    ),
];

/// The real service's quota for one API.
pub fn aws_quota(operation: &str) -> ApiQuota {
    AWS_QUOTAS
        .iter()
        .find(|(name, _)| *name == operation)
        .map(|(_, q)| *q)
        .unwrap_or(AWS_DEFAULT_QUOTA)
}

/// What `--throttle` says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThrottleMode {
    Off,
    /// The real per-API quotas.
    Aws,
    /// One quota for every API (each API still its own bucket).
    Fixed(ApiQuota),
}

impl FromStr for ThrottleMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => return Ok(ThrottleMode::Off),
            "aws" => return Ok(ThrottleMode::Aws),
            _ => {}
        }
        let bad = || format!("{s:?}: use off, aws, or RATE:BURST (for example 10:20)");
        let (rate, burst) = s.split_once(':').ok_or_else(bad)?;
        let rate: f64 = rate.parse().map_err(|_| bad())?;
        let burst: u32 = burst.parse().map_err(|_| bad())?;
        if !(rate.is_finite() && rate > 0.0 && rate <= 1_000_000.0) {
            return Err(format!(
                "{s:?}: the rate must be above 0 and at most 1000000 requests per second"
            ));
        }
        if burst == 0 {
            return Err(format!("{s:?}: the burst must be at least 1"));
        }
        Ok(ThrottleMode::Fixed(ApiQuota { rate, burst }))
    }
}

/// The bucket of one API for one account and Region.
type Key = (&'static str, String, String);

struct Class {
    quota: ApiQuota,
    limiter: DefaultKeyedRateLimiter<Key>,
}

/// The buckets; empty when throttling is off.
pub struct Throttle {
    mode: ThrottleMode,
    /// One limiter per distinct quota (keys include the API, so each API has its own
    /// buckets in it).
    classes: Vec<Class>,
}

impl Throttle {
    pub fn new(mode: ThrottleMode) -> Throttle {
        let quotas: Vec<ApiQuota> = match mode {
            ThrottleMode::Off => vec![],
            ThrottleMode::Fixed(q) => vec![q],
            ThrottleMode::Aws => {
                let mut qs = vec![AWS_DEFAULT_QUOTA];
                for (_, q) in AWS_QUOTAS {
                    if !qs.contains(q) {
                        qs.push(*q);
                    }
                }
                qs
            }
        };
        let classes = quotas
            .into_iter()
            .map(|quota| Class {
                quota,
                limiter: RateLimiter::keyed(governor_quota(quota)),
            })
            .collect();
        Throttle { mode, classes }
    }

    pub fn is_off(&self) -> bool {
        self.classes.is_empty()
    }

    /// Takes a token from `operation`'s bucket for the account and Region, or answers
    /// 429 `ThrottlingException` naming the quota.
    pub fn check(
        &self,
        operation: &'static str,
        account: &str,
        region: &str,
    ) -> Result<(), ApiError> {
        if self.is_off() {
            return Ok(());
        }
        let quota = match self.mode {
            ThrottleMode::Aws => aws_quota(operation),
            ThrottleMode::Fixed(q) => q,
            ThrottleMode::Off => return Ok(()),
        };
        let Some(class) = self.classes.iter().find(|c| c.quota == quota) else {
            return Ok(());
        };
        let key = (operation, account.to_string(), region.to_string());
        match class.limiter.check_key(&key) {
            Ok(()) => Ok(()),
            Err(_) => Err(ApiError::new(
                ErrorCode::Throttling,
                format!(
                    "Rate exceeded: {operation} allows {quota} per account and Region \
                     (account {account}, {region})"
                ),
            )),
        }
    }
}

fn governor_quota(q: ApiQuota) -> Quota {
    let period = Duration::from_secs_f64(1.0 / q.rate).max(Duration::from_nanos(1));
    let burst = NonZeroU32::new(q.burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .expect("a positive period")
        .allow_burst(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_bad_ones_say_what_is_accepted() {
        assert_eq!("off".parse(), Ok(ThrottleMode::Off));
        assert_eq!("aws".parse(), Ok(ThrottleMode::Aws));
        assert_eq!(
            "0.5:3".parse(),
            Ok(ThrottleMode::Fixed(ApiQuota {
                rate: 0.5,
                burst: 3
            }))
        );
        for bad in [
            "", "fast", "2", "2:", ":5", "0:5", "-1:5", "2:0", "nan:5", "2:5:1",
        ] {
            let e = bad.parse::<ThrottleMode>().unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{bad}: {e}");
        }
    }

    #[test]
    fn the_burst_passes_then_each_api_account_and_region_has_its_own_bucket() {
        let t = Throttle::new(ThrottleMode::Aws);
        for _ in 0..5 {
            t.check("CreateUser", "111122223333", "us-east-1").unwrap();
        }
        let e = t
            .check("CreateUser", "111122223333", "us-east-1")
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Throttling);
        assert!(
            e.message
                .contains("CreateUser allows 2 requests per second with a burst of 5"),
            "{}",
            e.message
        );
        t.check("DescribeUser", "111122223333", "us-east-1")
            .unwrap();
        t.check("CreateUser", "444455556666", "us-east-1").unwrap();
        t.check("CreateUser", "111122223333", "eu-west-2").unwrap();
        for _ in 0..8 {
            t.check("GetMetricData", "111122223333", "us-east-1")
                .unwrap();
        }
        assert!(t
            .check("GetMetricData", "111122223333", "us-east-1")
            .is_err());
    }

    #[test]
    fn a_fixed_quota_applies_to_every_api_each_in_its_own_bucket() {
        let t = Throttle::new("1:2".parse().unwrap());
        for op in ["CreateUser", "GetMetricData"] {
            t.check(op, "111122223333", "us-east-1").unwrap();
            t.check(op, "111122223333", "us-east-1").unwrap();
            let e = t.check(op, "111122223333", "us-east-1").unwrap_err();
            assert!(
                e.message
                    .contains("1 requests per second with a burst of 2"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn off_never_throttles() {
        let t = Throttle::new(ThrottleMode::Off);
        for _ in 0..1000 {
            t.check("CreateUser", "111122223333", "us-east-1").unwrap();
        }
    }
}
