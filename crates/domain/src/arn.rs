//! ARNs of Connect resources.

use crate::Scope;

/// The kinds of resource that live in an instance and have an ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Instance,
    User,
    SecurityProfile,
    RoutingProfile,
    Queue,
    HierarchyGroup,
    HoursOfOperation,
    QuickConnect,
    /// Predefined attributes are named, not numbered; their "id" is their name.
    PredefinedAttribute,
}

impl ResourceKind {
    /// The path segment after `instance/{id}/` in the resource's ARN.
    pub fn arn_segment(self) -> &'static str {
        match self {
            ResourceKind::Instance => "",
            ResourceKind::User => "agent",
            ResourceKind::SecurityProfile => "security-profile",
            ResourceKind::RoutingProfile => "routing-profile",
            ResourceKind::Queue => "queue",
            ResourceKind::HierarchyGroup => "agent-group",
            ResourceKind::HoursOfOperation => "operating-hours",
            ResourceKind::QuickConnect => "transfer-destination",
            ResourceKind::PredefinedAttribute => "predefined-attribute",
        }
    }

    /// Short stable name, used in messages and as the store's discriminator.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Instance => "instance",
            ResourceKind::User => "user",
            ResourceKind::SecurityProfile => "security profile",
            ResourceKind::RoutingProfile => "routing profile",
            ResourceKind::Queue => "queue",
            ResourceKind::HierarchyGroup => "hierarchy group",
            ResourceKind::HoursOfOperation => "hours of operation",
            ResourceKind::QuickConnect => "quick connect",
            ResourceKind::PredefinedAttribute => "predefined attribute",
        }
    }

    pub fn from_str_name(s: &str) -> Option<Self> {
        Some(match s {
            "instance" => ResourceKind::Instance,
            "user" => ResourceKind::User,
            "security profile" => ResourceKind::SecurityProfile,
            "routing profile" => ResourceKind::RoutingProfile,
            "queue" => ResourceKind::Queue,
            "hierarchy group" => ResourceKind::HierarchyGroup,
            "hours of operation" => ResourceKind::HoursOfOperation,
            "quick connect" => ResourceKind::QuickConnect,
            "predefined attribute" => ResourceKind::PredefinedAttribute,
            _ => return None,
        })
    }

    fn from_segment(s: &str) -> Option<Self> {
        [
            ResourceKind::User,
            ResourceKind::SecurityProfile,
            ResourceKind::RoutingProfile,
            ResourceKind::Queue,
            ResourceKind::HierarchyGroup,
            ResourceKind::HoursOfOperation,
            ResourceKind::QuickConnect,
        ]
        .into_iter()
        .find(|k| k.arn_segment() == s)
    }
}

/// `arn:aws:connect:{region}:{account}:instance/{instance_id}`
pub fn instance_arn(scope: &Scope, instance_id: &str) -> String {
    format!(
        "arn:aws:connect:{}:{}:instance/{}",
        scope.region, scope.account_id, instance_id
    )
}

/// The ARN of a resource inside an instance (or of the instance itself).
pub fn resource_arn(scope: &Scope, instance_id: &str, kind: ResourceKind, id: &str) -> String {
    match kind {
        ResourceKind::Instance => instance_arn(scope, instance_id),
        _ => format!(
            "{}/{}/{}",
            instance_arn(scope, instance_id),
            kind.arn_segment(),
            id
        ),
    }
}

/// A parsed Connect ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArn {
    pub scope: Scope,
    pub instance_id: String,
    pub kind: ResourceKind,
    /// The resource's id; for an instance, the instance id.
    pub id: String,
}

/// Parses `arn:{partition}:connect:{region}:{account}:instance/{id}[/{kind}/{id}]`.
pub fn parse_arn(arn: &str) -> Option<ParsedArn> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, _partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" || service != "connect" || region.is_empty() || account.is_empty() {
        return None;
    }
    let segs: Vec<&str> = resource.split('/').collect();
    let scope = Scope {
        account_id: account.to_string(),
        region: region.to_string(),
    };
    match segs.as_slice() {
        ["instance", id] if !id.is_empty() => Some(ParsedArn {
            scope,
            instance_id: id.to_string(),
            kind: ResourceKind::Instance,
            id: id.to_string(),
        }),
        ["instance", iid, seg, id] if !iid.is_empty() && !id.is_empty() => Some(ParsedArn {
            scope,
            instance_id: iid.to_string(),
            kind: ResourceKind::from_segment(seg)?,
            id: id.to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope {
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn arns_round_trip() {
        let arn = resource_arn(&scope(), "i-1", ResourceKind::User, "u-1");
        assert_eq!(
            arn,
            "arn:aws:connect:us-east-1:123456789012:instance/i-1/agent/u-1"
        );
        let p = parse_arn(&arn).unwrap();
        assert_eq!(p.kind, ResourceKind::User);
        assert_eq!(p.instance_id, "i-1");
        assert_eq!(p.id, "u-1");
        assert_eq!(p.scope, scope());
        let arn = resource_arn(&scope(), "i-1", ResourceKind::QuickConnect, "qc-1");
        assert_eq!(
            arn,
            "arn:aws:connect:us-east-1:123456789012:instance/i-1/transfer-destination/qc-1"
        );
        assert_eq!(parse_arn(&arn).unwrap().kind, ResourceKind::QuickConnect);
        let p = parse_arn(&instance_arn(&scope(), "i-1")).unwrap();
        assert_eq!(p.kind, ResourceKind::Instance);
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "arn:aws:s3:::bucket",
            "arn:aws:connect:us-east-1:1:instance/",
            "arn:aws:connect:us-east-1:1:instance/i/flow/x",
            "arn:aws:connect:us-east-1:1:instance/i/agent",
            "nonsense",
        ] {
            assert!(parse_arn(bad).is_none(), "{bad}");
        }
    }
}
