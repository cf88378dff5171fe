#!/usr/bin/env python3
"""Generates crates/api/src/generated.rs, the typed edge, from the Connect service model
in botocore.

For every operation of the model: the `Operation` enum the router returns, with its
HTTP binding and the model's error list. For the operations roster serves:

- their input and output shapes as Rust structs; a required member is a plain field,
  an optional one an `Option`;
- one-pass decoding of each input from the request body plus the members bound to the
  path, the query string and headers (a structure only from a JSON object, a list only
  from an array, each scalar only from its own JSON type; a required member that is
  absent is `InvalidRequestException` naming it);
- the model's constraint checks (length, range, enum, list and map sizes);
- an error enum per operation, built from the model's `errors` list (plus the few
  entries of `EXTRA_ERRORS`), with its conversion to the wire error: an operation can
  only answer what its enum holds;
- a trait per operation, `Connect` (every served operation's trait), and `dispatch`.

Run: python3 scripts/gen_api.py  (with botocore importable; then cargo fmt is not needed:
the file is excluded from rustfmt)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from model import load_model  # noqa: E402

SERVED = [
    # instances
    "CreateInstance", "DescribeInstance", "ListInstances", "DeleteInstance",
    "DescribeInstanceAttribute", "UpdateInstanceAttribute", "ListInstanceAttributes",
    # profiles and queues
    "CreateSecurityProfile", "DescribeSecurityProfile", "ListSecurityProfiles", "DeleteSecurityProfile",
    "CreateRoutingProfile", "DescribeRoutingProfile", "ListRoutingProfiles", "DeleteRoutingProfile",
    "SearchRoutingProfiles", "UpdateRoutingProfileConcurrency",
    "UpdateRoutingProfileDefaultOutboundQueue", "UpdateRoutingProfileName",
    "UpdateRoutingProfileQueues", "UpdateRoutingProfileAgentAvailabilityTimer",
    "AssociateRoutingProfileQueues", "DisassociateRoutingProfileQueues",
    "ListRoutingProfileQueues", "ListRoutingProfileManualAssignmentQueues",
    "CreateQueue", "DescribeQueue", "ListQueues", "UpdateQueueHoursOfOperation",
    "UpdateQueueMaxContacts", "UpdateQueueName", "UpdateQueueOutboundCallerConfig",
    "UpdateQueueOutboundEmailConfig", "UpdateQueueStatus", "DeleteQueue", "SearchQueues",
    # security profiles
    "UpdateSecurityProfile", "ListSecurityProfilePermissions", "ListSecurityProfileApplications",
    "ListSecurityProfileFlowModules", "ListSecurityProfileAIAgents", "SearchSecurityProfiles",
    # tags
    "TagResource", "UntagResource", "ListTagsForResource",
    # users
    "CreateUser", "DescribeUser", "ListUsers", "DeleteUser", "UpdateUserIdentityInfo",
    "UpdateUserPhoneConfig", "UpdateUserConfig", "UpdateUserRoutingProfile",
    "UpdateUserSecurityProfiles", "UpdateUserHierarchy", "SearchUsers",
    # hierarchy
    "UpdateUserHierarchyStructure", "DescribeUserHierarchyStructure", "CreateUserHierarchyGroup",
    "DescribeUserHierarchyGroup", "ListUserHierarchyGroups", "UpdateUserHierarchyGroupName",
    "DeleteUserHierarchyGroup", "SearchUserHierarchyGroups",
    # proficiencies
    "CreatePredefinedAttribute", "DescribePredefinedAttribute", "ListPredefinedAttributes",
    "UpdatePredefinedAttribute", "DeletePredefinedAttribute", "AssociateUserProficiencies",
    "UpdateUserProficiencies", "DisassociateUserProficiencies", "ListUserProficiencies",
    # hours of operation
    "CreateHoursOfOperation", "DescribeHoursOfOperation", "ListHoursOfOperations",
    "UpdateHoursOfOperation", "DeleteHoursOfOperation", "SearchHoursOfOperations",
    # quick connects
    "CreateQuickConnect", "DescribeQuickConnect", "ListQuickConnects", "UpdateQuickConnectName",
    "UpdateQuickConnectConfig", "DeleteQuickConnect", "AssociateQueueQuickConnects",
    "DisassociateQueueQuickConnects", "ListQueueQuickConnects", "SearchQuickConnects",
]

# Errors an operation answers beyond its model list. Each entry has its reason in
# docs/decisions.md ("Errors outside an operation's model list").
EXTRA_ERRORS = {
    # The SearchUsers seed: a caller without access to the filtered resources.
    "SearchUsers": ["AccessDeniedException"],
}

KEYWORDS = {"type", "match", "ref", "move", "mod", "use", "fn", "self", "super", "crate", "loop",
            "where", "impl", "trait", "struct", "enum", "in", "for", "if", "else", "as", "box",
            "async", "await", "dyn", "static", "const", "let", "mut", "pub", "return", "true", "false"}


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = s.replace("-", "_").lower()
    return f"r#{s}" if s in KEYWORDS else s


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def variant(error_shape):
    return error_shape[: -len("Exception")] if error_shape.endswith("Exception") else error_shape


BOUND = ("uri", "querystring", "header", "headers")


class Gen:
    def __init__(self, model):
        self.model = model
        self.shapes = model["shapes"]
        self.structs = []  # names in emission order
        self.seen = set()
        self.decoded = set()  # structures reachable from an input: they need decoding

    def rtype(self, shape_name):
        s = self.shapes[shape_name]
        t = s["type"]
        if t == "structure":
            self.want(shape_name)
            return shape_name
        if t in ("string", "blob"):
            return "String"
        if t == "integer":
            return "i32"
        if t == "long":
            return "i64"
        if t == "boolean":
            return "bool"
        if t in ("double", "float", "timestamp"):
            return "f64"
        if t == "list":
            return f"Vec<{self.rtype(s['member']['shape'])}>"
        if t == "map":
            return f"std::collections::BTreeMap<String, {self.rtype(s['value']['shape'])}>"
        raise SystemExit(f"unhandled shape type {t} for {shape_name}")

    def want(self, name):
        if name not in self.seen:
            self.seen.add(name)
            self.structs.append(name)

    def mark_decoded(self, name):
        s = self.shapes[name]
        if s["type"] == "structure":
            if name in self.decoded:
                return
            self.decoded.add(name)
            for m in s.get("members", {}).values():
                self.mark_decoded(m["shape"])
        elif s["type"] == "list":
            self.mark_decoded(s["member"]["shape"])
        elif s["type"] == "map":
            self.mark_decoded(s["value"]["shape"])

    # ---- constraint checks -------------------------------------------------
    def checks(self, shape_name, expr, path_expr, depth=0):
        """Rust statements that validate `expr` (a reference to a value of shape_name)."""
        s = self.shapes[shape_name]
        t = s["type"]
        out = []
        if t == "string":
            if "enum" in s:
                vals = ", ".join(rust_str(v) for v in s["enum"])
                out.append(f"crate::check::one_of({path_expr}, {expr}, &[{vals}])?;")
            if "min" in s or "max" in s:
                out.append(f"crate::check::str_len({path_expr}, {expr}, {s.get('min', 0)}, {s.get('max', 'usize::MAX')})?;")
        elif t in ("integer", "long", "double", "float"):
            if "min" in s or "max" in s:
                lo = s.get("min")
                hi = s.get("max")
                lo = "None" if lo is None else f"Some({lo} as f64)"
                hi = "None" if hi is None else f"Some({hi} as f64)"
                out.append(f"crate::check::range({path_expr}, *{expr} as f64, {lo}, {hi})?;")
        elif t == "list":
            if "min" in s or "max" in s:
                out.append(f"crate::check::count({path_expr}, {expr}.len(), {s.get('min', 0)}, {s.get('max', 'usize::MAX')})?;")
            inner = self.checks(s["member"]["shape"], f"item{depth}", f"&{path_expr}.index(i{depth})", depth + 1)
            if inner:
                out.append(f"for (i{depth}, item{depth}) in {expr}.iter().enumerate() {{ {' '.join(inner)} }}")
        elif t == "map":
            if "min" in s or "max" in s:
                out.append(f"crate::check::count({path_expr}, {expr}.len(), {s.get('min', 0)}, {s.get('max', 'usize::MAX')})?;")
            kin = self.checks(s["key"]["shape"], f"k{depth}", f"&{path_expr}.key(k{depth})", depth + 1)
            vin = self.checks(s["value"]["shape"], f"v{depth}", f"&{path_expr}.key(k{depth})", depth + 1)
            if kin or vin:
                out.append(f"for (k{depth}, v{depth}) in {expr}.iter() {{ let _ = &v{depth}; {' '.join(kin + vin)} }}")
        elif t == "structure":
            out.append(f"{expr}.validate_at({path_expr})?;")
        return out

    def member_type(self, owner, m):
        ty = self.rtype(m["shape"])
        return f"Box<{ty}>" if ty == owner else ty

    def emit_struct(self, name, bound_members):
        """The struct, its Debug and Validate impls, and its decoding when an input reaches it.

        `bound_members` maps the members of a top-level input that are bound outside the body
        to (location, wire name, Rust type); they are never read from the body."""
        s = self.shapes[name]
        members = s.get("members", {})
        required = set(s.get("required", []))
        lines = ["#[derive(Clone, Default, PartialEq, serde::Serialize)]", f"pub struct {name} {{"]
        debug_fields = []
        validate = []
        for mname, m in members.items():
            fname = snake(mname)
            ty = self.member_type(name, m)
            sensitive = self.shapes[m["shape"]].get("sensitive", False)
            if mname in bound_members:
                loc, wire, _ = bound_members[mname]
                lines.append(f"    /// Bound to the HTTP {loc} `{wire}`.")
            p = f"&path.member({rust_str(mname)})"
            inner = self.checks(m["shape"], "v", p)
            if mname in required:
                lines.append(f"    #[serde(rename = {rust_str(mname)})]")
                lines.append(f"    pub {fname}: {ty},")
                shown = "&crate::check::REDACTED" if sensitive else f"&self.{fname}"
                if inner:
                    validate.append(f"{{ let v = &self.{fname}; {' '.join(inner)} }}")
            else:
                lines.append(f"    #[serde(rename = {rust_str(mname)}, skip_serializing_if = \"Option::is_none\")]")
                lines.append(f"    pub {fname}: Option<{ty}>,")
                shown = f"&self.{fname}.as_ref().map(|_| crate::check::REDACTED)" if sensitive else f"&self.{fname}"
                if inner:
                    validate.append(f"if let Some(v) = &self.{fname} {{ {' '.join(inner)} }}")
            debug_fields.append(f".field({rust_str(mname)}, {shown})")
        lines.append("}")
        lines.append(f"impl std::fmt::Debug for {name} {{")
        lines.append("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {")
        lines.append(f"        f.debug_struct({rust_str(name)}){''.join(debug_fields)}.finish()")
        lines.append("    }")
        lines.append("}")
        lines.append(f"impl crate::check::Validate for {name} {{")
        lines.append("    #[allow(unused_variables)]")
        lines.append("    fn validate_at(&self, path: &crate::check::Path) -> Result<(), crate::check::Violation> {")
        for v in validate:
            lines.append("        " + v)
        lines.append("        Ok(())")
        lines.append("    }")
        lines.append("}")
        if name in self.decoded:
            lines.append(self.emit_decoding(name, bound_members))
        return "\n".join(lines)

    def emit_decoding(self, name, bound_members):
        """A serde visitor that reads the structure from a JSON object only, member by member.

        A top-level input's visitor carries the members bound outside the body, already read
        from the request, and is its own DeserializeSeed."""
        s = self.shapes[name]
        members = s.get("members", {})
        required = set(s.get("required", []))
        body = [(mn, m) for mn, m in members.items() if mn not in bound_members]
        visitor = f"{name}Visitor"
        fields = [f"{snake(mn)}: Option<{ty}>" for mn, (_, _, ty) in bound_members.items()]
        out = [f"struct {visitor} {{ {', '.join(fields)} }}" if fields else f"struct {visitor};"]
        out.append(f"impl<'de> serde::de::Visitor<'de> for {visitor} {{")
        out.append(f"    type Value = {name};")
        out.append("    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {")
        out.append(f"        f.write_str({rust_str('a JSON object (structure ' + name + ')')})")
        out.append("    }")
        out.append("    #[allow(unused_mut)]")
        out.append(f"    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<{name}, A::Error> {{")
        for mn, m in body:
            out.append(f"        let mut {snake(mn)}: Option<{self.member_type(name, m)}> = None;")
        out.append("        while let Some(key) = map.next_key::<crate::de::Key<'de>>()? {")
        out.append("            match key.as_str() {")
        for mn, m in body:
            out.append(f"                {rust_str(mn)} => crate::de::member(&mut map, &mut {snake(mn)}, {rust_str(mn)})?,")
        out.append("                _ => { map.next_value::<serde::de::IgnoredAny>()?; }")
        out.append("            }")
        out.append("        }")
        inits = []
        for mn in members:
            f = snake(mn)
            src = f"self.{f}" if mn in bound_members else f
            if mn in required:
                inits.append(f"{f}: crate::de::required({src}, {rust_str(mn)})?")
            else:
                inits.append(f"{f}: {src}")
        out.append(f"        Ok({name} {{ {', '.join(inits)} }})")
        out.append("    }")
        out.append("}")
        if bound_members:
            out.append(f"impl<'de> serde::de::DeserializeSeed<'de> for {visitor} {{")
            out.append(f"    type Value = {name};")
            out.append(f"    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<{name}, D::Error> {{ d.deserialize_map(self) }}")
            out.append("}")
        else:
            out.append(f"impl crate::de::Wire for {name} {{")
            out.append(f"    fn decode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{ d.deserialize_map({visitor}) }}")
            out.append("}")
        return "\n".join(out)

    def bound(self, inp):
        """Members of a top-level input bound outside the body: name -> (location, wire, type)."""
        found = {}
        for mname, m in self.shapes[inp].get("members", {}).items():
            loc = m.get("location")
            if loc not in BOUND:
                continue
            if loc == "headers":
                raise SystemExit(f"{inp}.{mname}: header maps are not supported")
            found[mname] = (loc, m.get("locationName", mname), self.rtype(m["shape"]))
        return found

    def input_decoder(self, inp):
        bound = self.bound(inp)
        reads = []
        for mname, (loc, wire, ty) in bound.items():
            if loc == "uri":
                reads.append(f"{snake(mname)}: crate::de::bound(b.label({rust_str(wire)}), {rust_str(wire)})?")
            elif ty == "Vec<String>" and loc == "querystring":
                reads.append(f"{snake(mname)}: crate::de::bound_list(b.query_all({rust_str(wire)}), {rust_str(wire)})?")
            elif loc == "querystring":
                reads.append(f"{snake(mname)}: crate::de::bound(b.query({rust_str(wire)}), {rust_str(wire)})?")
            else:
                reads.append(f"{snake(mname)}: crate::de::bound(b.header({rust_str(wire)}), {rust_str(wire)})?")
        seed = f"{inp}Visitor {{ {', '.join(reads)} }}" if bound else None
        out = [f"impl crate::de::Input for {inp} {{"]
        out.append("    #[allow(unused_variables)]")
        out.append(f"    fn decode(body: &[u8], b: &dyn crate::de::Bindings) -> Result<Self, crate::ApiError> {{")
        if seed:
            out.append(f"        crate::de::body(body, {seed})")
        else:
            out.append(f"        crate::de::body(body, std::marker::PhantomData::<crate::de::W<{inp}>>).map(|w| w.0)")
        out.append("    }")
        out.append("}")
        return "\n".join(out), bound

    def run(self, served):
        ops = self.model["operations"]
        for name in served:
            op = ops[name]
            for k in ("input", "output"):
                if k in op:
                    self.want(op[k]["shape"])
            if "input" in op:
                self.mark_decoded(op["input"]["shape"])
        top_inputs = {ops[n]["input"]["shape"] for n in served if "input" in ops[n]}

        out = ["// @generated by scripts/gen_api.py from the Amazon Connect service model (2017-08-08).",
               "// Do not edit by hand.",
               "#![allow(clippy::all, non_snake_case, non_camel_case_types)]", "",
               "use crate::{ApiError, ErrorCode, Failure, RequestContext};", ""]

        # ---- shapes ------------------------------------------------------------------
        i = 0
        while i < len(self.structs):
            name = self.structs[i]
            bound = {}
            if name in top_inputs:
                code, bound = self.input_decoder(name)
                out.append(code)
            out.append(self.emit_struct(name, bound))
            out.append("")
            i += 1

        # ---- error shapes ------------------------------------------------------------
        error_shapes = sorted({e["shape"] for n in served for e in ops[n].get("errors", [])}
                              | {e for n in served for e in EXTRA_ERRORS.get(n, [])})
        for e in error_shapes:
            members = self.shapes[e].get("members", {})
            out.append(f"/// The model's `{e}`.")
            out.append("#[derive(Debug, Clone, PartialEq)]")
            out.append(f"pub struct {e}(ApiError);")
            out.append(f"impl {e} {{")
            out.append(f"    pub fn new(message: impl Into<String>) -> Self {{ {e}(ApiError::new(ErrorCode::{variant(e)}, message)) }}")
            if "Reason" in members:
                out.append("    /// The error's `Reason` member.")
                out.append(f"    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {{ self.0.reason = Some(reason.into()); self }}")
            if "ResourceType" in members and "ResourceId" in members:
                out.append("    /// The error's `ResourceType` and `ResourceId` members.")
                out.append(f"    pub fn with_resource(mut self, kind: impl Into<String>, id: impl Into<String>) -> Self {{ self.0.resource = Some((kind.into(), id.into())); self }}")
            out.append("}")
            out.append(f"impl From<{e}> for ApiError {{ fn from(e: {e}) -> ApiError {{ e.0 }} }}")
            out.append("")

        # ---- operations --------------------------------------------------------------
        all_ops = sorted(ops)
        out.append("/// Every operation of the Connect model.")
        out.append("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]")
        out.append("pub enum Operation {")
        for n in all_ops:
            out.append(f"    {n},")
        out.append("}")
        out.append("")
        out.append("impl Operation {")
        out.append("    /// Every operation, in the order of [`Operation`]'s variants.")
        out.append("    pub const ALL: &'static [Operation] = &[" + ", ".join(f"Operation::{n}" for n in all_ops) + "];")
        out.append("    /// The operation's name, HTTP binding, whether roster serves it, and its model errors.")
        out.append("    pub fn spec(self) -> &'static crate::spec::OperationSpec { &SPECS[self as usize] }")
        out.append("    pub fn name(self) -> &'static str { self.spec().name }")
        out.append("}")
        out.append("")
        out.append("static SPECS: &[crate::spec::OperationSpec] = &[")
        for n in all_ops:
            op = ops[n]
            errs = [e["shape"] for e in op.get("errors", [])] + EXTRA_ERRORS.get(n, [])
            out.append(f"    crate::spec::OperationSpec {{ name: {rust_str(n)}, method: {rust_str(op['http']['method'])}, "
                       f"uri: {rust_str(op['http']['requestUri'])}, served: {'true' if n in served else 'false'}, "
                       f"errors: &[{', '.join(rust_str(e) for e in errs)}] }},")
        out.append("];")
        out.append("")

        # ---- per-operation errors ----------------------------------------------------
        for n in served:
            errs = [e["shape"] for e in ops[n].get("errors", [])] + EXTRA_ERRORS.get(n, [])
            if "InvalidRequestException" not in errs or "InternalServiceException" not in errs:
                raise SystemExit(f"{n}: the model lists no InvalidRequestException or InternalServiceException")
            en = f"{n}Error"
            out.append(f"/// What `{n}` may answer besides success: its model error list.")
            out.append("#[derive(Debug, Clone, PartialEq)]")
            out.append(f"pub enum {en} {{")
            for e in errs:
                out.append(f"    {variant(e)}({e}),")
            out.append("}")
            for e in errs:
                out.append(f"impl From<{e}> for {en} {{ fn from(e: {e}) -> Self {{ {en}::{variant(e)}(e) }} }}")
            out.append(f"impl From<{en}> for ApiError {{")
            out.append(f"    fn from(e: {en}) -> ApiError {{ match e {{ {' '.join(f'{en}::{variant(x)}(e) => e.0,' for x in errs)} }} }}")
            out.append("}")
            out.append(f"impl From<Failure> for {en} {{")
            out.append("    fn from(f: Failure) -> Self {")
            out.append("        let e = f.into_inner();")
            out.append("        match e.code {")
            for e in errs:
                out.append(f"            ErrorCode::{variant(e)} => {en}::{variant(e)}({e}(e)),")
            if "InvalidParameterException" not in errs:
                out.append(f"            ErrorCode::InvalidParameter => {en}::InvalidRequest(InvalidRequestException(e.recoded(ErrorCode::InvalidRequest))),")
            out.append(f"            _ => {en}::InternalService(InternalServiceException(crate::error::outside_model({rust_str(n)}, e))),")
            out.append("        }")
            out.append("    }")
            out.append("}")
            out.append("")

        # ---- per-operation traits ----------------------------------------------------
        out.append("/// One trait per served operation; the service implements each where the")
        out.append("/// operation's logic lives.")
        out.append("pub mod ops {")
        out.append("    use super::*;")
        for n in served:
            op = ops[n]
            inp = op["input"]["shape"]
            outp = op.get("output", {}).get("shape") or "()"
            out.append(f"    /// `{n}`: {op['http']['method']} `{op['http']['requestUri']}`.")
            out.append(f"    pub trait {n}: Send + Sync {{")
            out.append(f"        fn {snake(n)}(&self, ctx: &RequestContext, input: {inp}) -> impl std::future::Future<Output = Result<{outp}, {n}Error>> + Send;")
            out.append("    }")
        out.append("}")
        out.append("")
        out.append("/// The Connect API as roster serves it: every served operation's trait.")
        bounds = " + ".join(f"ops::{n}" for n in served)
        out.append(f"pub trait Connect: {bounds} + Send + Sync + 'static {{}}")
        out.append(f"impl<T: {bounds} + Send + Sync + 'static> Connect for T {{}}")
        out.append("")

        # ---- dispatch ----------------------------------------------------------------
        out.append("/// Decodes the operation's input in one pass (body and bound members), checks the")
        out.append("/// model's constraints, runs the operation and encodes its output.")
        out.append("pub async fn dispatch<S: Connect>(svc: &S, ctx: &RequestContext, op: Operation, body: &[u8], b: &(dyn crate::de::Bindings + Sync)) -> Result<Vec<u8>, ApiError> {")
        out.append("    match op {")
        for n in served:
            op = ops[n]
            inp = op["input"]["shape"]
            out.append(f"        Operation::{n} => {{")
            out.append(f"            let input = <{inp} as crate::de::Input>::decode(body, b).map_err(crate::error::within::<{n}Error>)?;")
            out.append(f"            crate::check::Validate::validate(&input).map_err(|v| ApiError::from({n}Error::from(Failure::from(v))))?;")
            out.append(f"            crate::encode(&ops::{n}::{snake(n)}(svc, ctx, input).await?)")
            out.append("        }")
        out.append("        other => Err(ApiError::not_implemented(other.name())),")
        out.append("    }")
        out.append("}")
        out.append("")

        # ---- error statuses ----------------------------------------------------------
        out.append("/// HTTP status of each error shape, from the model.")
        out.append("pub fn error_status(shape: &str) -> Option<u16> {")
        out.append("    match shape {")
        for n, s in sorted(self.shapes.items()):
            if s.get("exception") and "error" in s:
                out.append(f"        {rust_str(n)} => Some({s['error'].get('httpStatusCode', 400)}),")
        out.append("        _ => None,")
        out.append("    }")
        out.append("}")
        return "\n".join(out) + "\n"


def main():
    model = load_model()
    code = Gen(model).run(SERVED)
    dest = os.path.join(os.path.dirname(__file__), "..", "crates", "api", "src", "generated.rs")
    with open(dest, "w") as f:
        f.write(code)
    print(f"wrote {os.path.normpath(dest)}")


if __name__ == "__main__":
    main()
