//! Fault injection: rules that make a fraction of one operation's requests (or of all)
//! answer a modelled error or wait a while, decided once the request is authenticated
//! and routed and before any of its work, so a faulted request changes nothing. Set at
//! start (`--faults FILE`) and replaced at run time through `/_roster/faults`.
//!
//! Which requests a rule hits is reproducible: the `n`-th request (from 0) that rule `r`
//! (its index in the list) sees is hit when `unit(seed, r, n) < rate`, with
//! [`unit`] the function below, so a test can predict every hit from the seed.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use roster_api::{ApiError, ErrorCode, Operation};
use serde::{Deserialize, Serialize};

/// The errors a rule may answer: the model's error shapes an operation can be made to
/// return without doing its work.
const INJECTABLE: [ErrorCode; 9] = [
    ErrorCode::InternalService,
    ErrorCode::Throttling,
    ErrorCode::ServiceQuotaExceeded,
    ErrorCode::LimitExceeded,
    ErrorCode::ResourceNotFound,
    ErrorCode::InvalidRequest,
    ErrorCode::InvalidParameter,
    ErrorCode::ResourceInUse,
    ErrorCode::AccessDenied,
];

/// One rule as the file and the control endpoint write it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// An operation name, or `*` for every operation.
    pub operation: String,
    /// The fraction of its requests the rule hits, 0 to 1.
    pub rate: f64,
    /// The error shape a hit answers (e.g. `InternalServiceException`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Or: how long a hit waits before it is served as usual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

/// The whole set of rules, with the seed of their draws.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// What a hit does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    Error(ErrorCode),
    Delay(Duration),
}

struct Rule {
    operation: Option<&'static str>,
    rate: f64,
    fault: Fault,
    seen: AtomicU64,
}

struct Active {
    spec: FaultSpec,
    rules: Vec<Rule>,
}

/// The rules in force.
pub struct Faults {
    /// Whether any rule is in force: with none, a request costs one atomic load.
    any: AtomicBool,
    active: RwLock<Active>,
}

/// A number in [0, 1) from the seed, the rule's index and the request's number among
/// those the rule has seen (splitmix64 of their mix).
pub fn unit(seed: u64, rule: u64, n: u64) -> f64 {
    let mut z =
        seed ^ rule.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn compile(spec: &FaultSpec) -> Result<Vec<Rule>, String> {
    spec.rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let at = format!("rules[{i}]");
            let operation = match r.operation.as_str() {
                "*" => None,
                name => Some(
                    *Operation::ALL
                        .iter()
                        .find(|op| op.name() == name)
                        .ok_or_else(|| {
                            format!("{at}.operation: {name:?} is no Connect operation (or *)")
                        })?,
                ),
            };
            if !(0.0..=1.0).contains(&r.rate) {
                return Err(format!(
                    "{at}.rate: must be between 0 and 1, not {}",
                    r.rate
                ));
            }
            let fault = match (&r.error, r.delay_ms) {
                (Some(e), None) => {
                    let code =
                        INJECTABLE
                            .into_iter()
                            .find(|c| c.shape() == e)
                            .ok_or_else(|| {
                                let names: Vec<&str> =
                                    INJECTABLE.iter().map(|c| c.shape()).collect();
                                format!("{at}.error: {e:?} is not one of {}", names.join(", "))
                            })?;
                    if let Some(op) = operation {
                        if !op.spec().errors.contains(&code.shape()) {
                            return Err(format!(
                                "{at}.error: {} cannot answer {e}: its model lists {}",
                                op.name(),
                                op.spec().errors.join(", ")
                            ));
                        }
                    }
                    Fault::Error(code)
                }
                (None, Some(ms)) if ms <= 60_000 => Fault::Delay(Duration::from_millis(ms)),
                (None, Some(ms)) => {
                    return Err(format!("{at}.delay_ms: at most 60000, not {ms}"));
                }
                _ => return Err(format!("{at}: give exactly one of error and delay_ms")),
            };
            Ok(Rule {
                operation: operation.map(Operation::name),
                rate: r.rate,
                fault,
                seen: AtomicU64::new(0),
            })
        })
        .collect()
}

impl Faults {
    pub fn new(spec: FaultSpec) -> Result<Faults, String> {
        let rules = compile(&spec)?;
        Ok(Faults {
            any: AtomicBool::new(!rules.is_empty()),
            active: RwLock::new(Active { spec, rules }),
        })
    }

    /// Replaces the rules (their counts start again from 0).
    pub fn replace(&self, spec: FaultSpec) -> Result<(), String> {
        let rules = compile(&spec)?;
        let mut active = self.active.write().unwrap_or_else(|e| e.into_inner());
        self.any.store(!rules.is_empty(), Ordering::Release);
        *active = Active { spec, rules };
        Ok(())
    }

    pub fn spec(&self) -> FaultSpec {
        self.active
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .spec
            .clone()
    }

    /// The fault for this request of `operation`, if a rule hits it: the first rule (in
    /// order) that hits. Every matching rule counts the request.
    pub fn decide(&self, operation: &str) -> Option<Fault> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let active = self.active.read().unwrap_or_else(|e| e.into_inner());
        if active.rules.is_empty() {
            return None;
        }
        let mut hit = None;
        for (i, rule) in active.rules.iter().enumerate() {
            if rule.operation.is_some_and(|o| o != operation) {
                continue;
            }
            let n = rule.seen.fetch_add(1, Ordering::Relaxed);
            if hit.is_none() && unit(active.spec.seed, i as u64, n) < rule.rate {
                hit = Some(rule.fault);
            }
        }
        hit
    }
}

/// The answer of an injected error.
pub fn injected(code: ErrorCode, operation: &str) -> ApiError {
    ApiError::new(
        code,
        format!("{} injected by a fault rule for {operation}", code.shape()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(op: &str, rate: f64, error: Option<&str>, delay: Option<u64>) -> RuleSpec {
        RuleSpec {
            operation: op.into(),
            rate,
            error: error.map(str::to_string),
            delay_ms: delay,
        }
    }

    #[test]
    fn hits_follow_the_seed_and_only_their_operation() {
        let spec = FaultSpec {
            seed: 42,
            rules: vec![rule(
                "CreateUser",
                0.5,
                Some("InternalServiceException"),
                None,
            )],
        };
        let f = Faults::new(spec).unwrap();
        let hits: Vec<bool> = (0..64).map(|_| f.decide("CreateUser").is_some()).collect();
        let predicted: Vec<bool> = (0..64).map(|n| unit(42, 0, n) < 0.5).collect();
        assert_eq!(hits, predicted);
        let n = hits.iter().filter(|h| **h).count();
        assert!((16..=48).contains(&n), "{n} of 64");
        assert_eq!(f.decide("DescribeUser"), None);
        f.replace(FaultSpec::default()).unwrap();
        assert_eq!(f.decide("CreateUser"), None);
    }

    #[test]
    fn every_operation_and_delays() {
        let f = Faults::new(FaultSpec {
            seed: 1,
            rules: vec![rule("*", 1.0, None, Some(250))],
        })
        .unwrap();
        assert_eq!(
            f.decide("ListUsers"),
            Some(Fault::Delay(Duration::from_millis(250)))
        );
    }

    #[test]
    fn bad_rules_name_the_member_and_the_rule() {
        let cases = [
            (
                rule("MakeCoffee", 0.5, Some("InternalServiceException"), None),
                "rules[0].operation",
            ),
            (
                rule("CreateUser", 1.5, Some("InternalServiceException"), None),
                "rules[0].rate",
            ),
            (
                rule("CreateUser", 0.5, Some("Oops"), None),
                "rules[0].error",
            ),
            (
                rule("CreateUser", 0.5, None, None),
                "exactly one of error and delay_ms",
            ),
            (
                rule("CreateUser", 0.5, None, Some(100_000)),
                "rules[0].delay_ms",
            ),
            (
                rule(
                    "DescribeUser",
                    0.5,
                    Some("ServiceQuotaExceededException"),
                    None,
                ),
                "its model lists",
            ),
        ];
        for (r, want) in cases {
            let e = Faults::new(FaultSpec {
                seed: 0,
                rules: vec![r],
            })
            .err()
            .expect("refused");
            assert!(e.contains(want), "{e}");
        }
    }
}
