//! How each operation of the model is bound to HTTP, and what it may answer.

/// One operation of the Connect model.
#[derive(Debug)]
pub struct OperationSpec {
    pub name: &'static str,
    pub method: &'static str,
    /// The model's request URI template, e.g. `/users/{InstanceId}/{UserId}`.
    pub uri: &'static str,
    /// Whether roster serves this operation; the others answer "not implemented".
    pub served: bool,
    /// The error shapes the operation may answer: the model's list, plus the entries
    /// `scripts/gen_api.py` declares in `EXTRA_ERRORS`. The operation's generated error
    /// enum has exactly these variants.
    pub errors: &'static [&'static str],
}

impl OperationSpec {
    /// Whether the operation may answer `code`: a protocol error, or one of its list.
    pub fn allows(&self, code: crate::ErrorCode) -> bool {
        code.is_protocol() || self.errors.contains(&code.shape())
    }
}
