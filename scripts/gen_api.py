#!/usr/bin/env python3
"""Generates crates/api/src/generated.rs from the Connect service model in botocore.

The output holds, for the operations roster serves, the input and output shapes as
serde structs, the model's constraint checks for them (required, length, range,
enum), their HTTP bindings, and the `Connect` trait with one method per operation.
It also lists every operation of the model with its method and path, so the router
can tell a known-but-unserved operation from an unknown route.

Run: python3 scripts/gen_api.py  (then cargo fmt)
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
    "ListQueues",
    # tags
    "TagResource", "UntagResource", "ListTagsForResource",
    # users
    "CreateUser", "DescribeUser", "ListUsers", "DeleteUser", "UpdateUserIdentityInfo",
    "UpdateUserPhoneConfig", "UpdateUserConfig", "UpdateUserRoutingProfile",
    "UpdateUserSecurityProfiles", "UpdateUserHierarchy", "SearchUsers",
    # hierarchy
    "UpdateUserHierarchyStructure", "DescribeUserHierarchyStructure", "CreateUserHierarchyGroup",
    "DescribeUserHierarchyGroup", "ListUserHierarchyGroups", "UpdateUserHierarchyGroupName",
    "DeleteUserHierarchyGroup",
    # proficiencies
    "CreatePredefinedAttribute", "DescribePredefinedAttribute", "ListPredefinedAttributes",
    "UpdatePredefinedAttribute", "DeletePredefinedAttribute", "AssociateUserProficiencies",
    "UpdateUserProficiencies", "DisassociateUserProficiencies", "ListUserProficiencies",
]

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


class Gen:
    def __init__(self, model):
        self.model = model
        self.shapes = model["shapes"]
        self.structs = []  # names in emission order
        self.seen = set()

    def rtype(self, shape_name):
        s = self.shapes[shape_name]
        t = s["type"]
        if t == "structure":
            self.want(shape_name)
            return shape_name
        if t == "string":
            return "String"
        if t in ("integer",):
            return "i32"
        if t == "long":
            return "i64"
        if t == "boolean":
            return "bool"
        if t in ("double", "float"):
            return "f64"
        if t == "timestamp":
            return "f64"
        if t == "list":
            return f"Vec<{self.rtype(s['member']['shape'])}>"
        if t == "map":
            return f"std::collections::BTreeMap<String, {self.rtype(s['value']['shape'])}>"
        if t == "blob":
            return "String"
        raise SystemExit(f"unhandled shape type {t} for {shape_name}")

    def want(self, name):
        if name not in self.seen:
            self.seen.add(name)
            self.structs.append(name)

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

    def emit_struct(self, name):
        s = self.shapes[name]
        members = s.get("members", {})
        required = set(s.get("required", []))
        lines = []
        lines.append("#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]")
        lines.append(f"pub struct {name} {{")
        debug_fields = []
        validate = []
        for mname, m in members.items():
            fname = snake(mname)
            ty = self.rtype(m["shape"])
            if ty == name:
                ty = f"Box<{ty}>"
            sensitive = self.shapes[m["shape"]].get("sensitive", False)
            loc = m.get("location")
            if loc in ("uri", "querystring", "header", "headers"):
                lines.append(f"    /// Bound to the HTTP {loc} `{m.get('locationName', mname)}`.")
            lines.append(f"    #[serde(rename = {rust_str(mname)}, default, skip_serializing_if = \"Option::is_none\")]")
            lines.append(f"    pub {fname}: Option<{ty}>,")
            if sensitive:
                debug_fields.append(f'.field({rust_str(mname)}, &self.{fname}.as_ref().map(|_| crate::check::REDACTED))')
            else:
                debug_fields.append(f".field({rust_str(mname)}, &self.{fname})")
            p = f"&path.member({rust_str(mname)})"
            inner = self.checks(m["shape"], "v", p)
            if mname in required:
                validate.append(f"match &self.{fname} {{ None => return Err(crate::check::Violation::missing({p})), Some(v) => {{ let _ = v; {' '.join(inner)} }} }}")
            elif inner:
                validate.append(f"if let Some(v) = &self.{fname} {{ {' '.join(inner)} }}")
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
        return "\n".join(lines)

    def run(self, served):
        ops = self.model["operations"]
        out = ["// @generated by scripts/gen_api.py from the Amazon Connect service model (2017-08-08).",
               "// Do not edit by hand.", "#![allow(clippy::all, non_snake_case)]", ""]
        op_entries = []
        trait_methods = []
        dispatch_arms = []
        for name in served:
            op = ops[name]
            inp = op.get("input", {}).get("shape")
            outp = op.get("output", {}).get("shape")
            if inp:
                self.want(inp)
            if outp:
                self.want(outp)
        # every model operation, for routing
        for name in sorted(ops):
            op = ops[name]
            bindings = []
            inp = op.get("input", {}).get("shape")
            if name in served and inp:
                for mname, m in self.shapes[inp].get("members", {}).items():
                    loc = m.get("location")
                    if loc not in ("uri", "querystring", "header"):
                        continue
                    mt = self.shapes[m["shape"]]
                    kind = {"integer": "Int", "long": "Int", "boolean": "Bool", "list": "StrList"}.get(mt["type"], "Str")
                    where = {"uri": "Label", "querystring": "Query", "header": "Header"}[loc]
                    bindings.append(f"Binding {{ member: {rust_str(mname)}, location: Location::{where}, name: {rust_str(m.get('locationName', mname))}, kind: Kind::{kind} }}")
            errors = ", ".join(rust_str(e["shape"]) for e in op.get("errors", []))
            op_entries.append(
                f"OperationSpec {{ name: {rust_str(name)}, method: {rust_str(op['http']['method'])}, uri: {rust_str(op['http']['requestUri'])}, served: {'true' if name in served else 'false'}, bindings: &[{', '.join(bindings)}], errors: &[{errors}] }}"
            )
        for name in served:
            op = ops[name]
            inp = op.get("input", {}).get("shape")
            outp = op.get("output", {}).get("shape")
            method = snake(name)
            out_ty = outp if outp else "()"
            trait_methods.append(
                f"    /// `{name}`: {op['http']['method']} `{op['http']['requestUri']}`.\n"
                f"    async fn {method}(&self, ctx: &RequestContext, input: {inp}) -> Result<{out_ty}, ApiError> {{ let _ = (ctx, input); Err(ApiError::not_implemented({rust_str(name)})) }}"
            )
            dispatch_arms.append(
                f"        {rust_str(name)} => {{ let input: {inp} = crate::decode(input)?; crate::check::Validate::validate(&input)?; crate::encode(&svc.{method}(ctx, input).await?) }}"
            )
        i = 0
        while i < len(self.structs):
            out.append(self.emit_struct(self.structs[i]))
            out.append("")
            i += 1
        out.append("use crate::{ApiError, RequestContext};")
        out.append("use crate::spec::{Binding, Kind, Location, OperationSpec};")
        out.append("")
        out.append("/// Every operation of the Connect model: name, HTTP binding, and whether roster serves it.")
        out.append("pub static OPERATIONS: &[OperationSpec] = &[")
        for e in op_entries:
            out.append(f"    {e},")
        out.append("];")
        out.append("")
        out.append("/// The Connect API: one method per operation roster serves. A method left at its")
        out.append("/// default answers that the operation is not implemented.")
        out.append("#[async_trait::async_trait]")
        out.append("pub trait Connect: Send + Sync + 'static {")
        out.extend(trait_methods)
        out.append("}")
        out.append("")
        out.append("/// Decodes, checks against the model's constraints, and runs one operation.")
        out.append("pub async fn dispatch(svc: &dyn Connect, ctx: &RequestContext, operation: &str, input: serde_json::Value) -> Result<Vec<u8>, ApiError> {")
        out.append("    match operation {")
        out.extend(dispatch_arms)
        out.append("        other => Err(ApiError::not_implemented(other)),")
        out.append("    }")
        out.append("}")
        out.append("")
        # error status table
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
