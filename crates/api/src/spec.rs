//! How each operation of the model is bound to HTTP.

/// One operation of the Connect model.
#[derive(Debug)]
pub struct OperationSpec {
    pub name: &'static str,
    pub method: &'static str,
    /// The model's request URI template, e.g. `/users/{InstanceId}/{UserId}`;
    /// it may carry a query literal such as `/x?type=y` (none of the served ones do).
    pub uri: &'static str,
    /// Whether roster serves this operation; the others answer "not implemented".
    pub served: bool,
    /// Members bound to the path, the query string or headers (served operations only).
    pub bindings: &'static [Binding],
    /// The error shapes the model allows this operation to return.
    pub errors: &'static [&'static str],
}

#[derive(Debug)]
pub struct Binding {
    /// The member's name in the input shape.
    pub member: &'static str,
    pub location: Location,
    /// The label, query parameter or header name on the wire.
    pub name: &'static str,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Label,
    Query,
    Header,
}

/// The JSON type a bound member decodes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Bool,
    StrList,
}

impl OperationSpec {
    pub fn find(name: &str) -> Option<&'static OperationSpec> {
        crate::generated::OPERATIONS.iter().find(|o| o.name == name)
    }
}
