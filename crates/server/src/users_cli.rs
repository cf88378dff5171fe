//! `roster users import` and `roster users export`: the CSV bulk import and export of
//! a running server, for CI jobs. Requests go to roster's control endpoints
//! (`/_roster/instances/{InstanceId}/users/…`), signed with SigV4 (`aws-sigv4`) for
//! the credentials in `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`, and the region of `--region`, `AWS_REGION` or
//! `AWS_DEFAULT_REGION`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{anyhow, bail, Context};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

#[derive(clap::Subcommand)]
pub enum UsersCommand {
    /// Create the users of a CSV file (the admin website's 13-column template or
    /// roster's extended one) in an instance: all of them, or none when any row has
    /// an error, and then print every error by row and column and exit 1.
    Import {
        #[command(flatten)]
        target: Target,
        /// The CSV file (`-` for standard input).
        file: PathBuf,
    },
    /// Write an instance's users as CSV (the extended template plus the user id,
    /// passwords blank), ready to import into another instance.
    Export {
        #[command(flatten)]
        target: Target,
        /// Where to write the file; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
pub struct Target {
    /// The server, e.g. http://127.0.0.1:4599.
    #[arg(long, env = "ROSTER_ENDPOINT")]
    endpoint: String,
    /// The instance's id (or ARN).
    #[arg(long)]
    instance_id: String,
    /// The region to sign for (the region the instance lives in); else AWS_REGION or
    /// AWS_DEFAULT_REGION.
    #[arg(long)]
    region: Option<String>,
}

/// An answer of the server.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Target {
    fn region(&self) -> anyhow::Result<String> {
        self.region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .filter(|r| !r.is_empty())
            .ok_or_else(|| anyhow!("no region: pass --region or set AWS_REGION"))
    }

    fn uri(&self, action: &str) -> String {
        let id: String = percent_encoding::utf8_percent_encode(
            &self.instance_id,
            percent_encoding::NON_ALPHANUMERIC,
        )
        .collect();
        format!(
            "{}/_roster/instances/{id}/users/{action}",
            self.endpoint.trim_end_matches('/')
        )
    }

    /// Sends a request signed for the environment's credentials.
    async fn send(
        &self,
        method: &str,
        action: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> anyhow::Result<Answer> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let (Some(akid), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))
        else {
            bail!("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        };
        let region = self.region()?;
        let uri = self.uri(action);
        let mut request = http::Request::builder().method(method).uri(&uri);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let mut request = request
            .body(body)
            .with_context(|| format!("the endpoint {} is not a URL", self.endpoint))?;

        let identity: Identity =
            Credentials::new(akid, secret, env("AWS_SESSION_TOKEN"), None, "environment").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name("connect")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .context("signing the request")?
            .into();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let signable = SignableRequest::new(
            method,
            &uri,
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(request.body()),
        )
        .context("signing the request")?;
        let (instructions, _) = sign(signable, &params)
            .context("signing the request")?
            .into_parts();
        instructions.apply_to_request_http1x(&mut request);

        let client = Client::builder(TokioExecutor::new()).build_http::<Full<bytes::Bytes>>();
        let request = request.map(|b| Full::new(bytes::Bytes::from(b)));
        let response = client
            .request(request)
            .await
            .with_context(|| format!("sending the request to {}", self.endpoint))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .with_context(|| format!("reading the answer of {}", self.endpoint))?
            .to_bytes()
            .to_vec();
        Ok(Answer { status, body })
    }
}

/// The error of an answer that is not 200: its `Message`, then each of its `Errors`.
fn report_error(answer: &Answer) -> String {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&answer.body) else {
        return format!(
            "the server answered {}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    };
    let mut out = format!(
        "the server answered {}: {}",
        answer.status,
        body["Message"].as_str().unwrap_or("(no message)")
    );
    for e in body["Errors"].as_array().into_iter().flatten() {
        let row = e["Row"].as_u64().unwrap_or(0);
        let column = e["Column"].as_str().unwrap_or("");
        let message = e["Message"].as_str().unwrap_or("");
        let place = match (row, column) {
            (0, "") => "file".to_string(),
            (0, c) => format!("file, column '{c}'"),
            (r, "") => format!("row {r}"),
            (r, c) => format!("row {r}, column '{c}'"),
        };
        out.push_str(&format!("\n  {place}: {message}"));
    }
    out
}

async fn run(command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Import { target, file } => {
            let csv = if file.as_os_str() == "-" {
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
                    .context("reading standard input")?;
                buf
            } else {
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?
            };
            let answer = target.send("POST", "import", Some("text/csv"), csv).await?;
            if answer.status != 200 {
                bail!("{}\nnothing was imported", report_error(&answer));
            }
            let body: serde_json::Value =
                serde_json::from_slice(&answer.body).context("reading the server's report")?;
            let users = body["Users"].as_array().cloned().unwrap_or_default();
            for u in &users {
                println!(
                    "{}\t{}",
                    u["UserId"].as_str().unwrap_or(""),
                    u["Username"].as_str().unwrap_or("")
                );
            }
            let t = &body["TimingsMs"];
            eprintln!(
                "imported {} users (checked in {} ms, passwords hashed in {} ms, written in {} ms)",
                users.len(),
                t["Checking"].as_u64().unwrap_or(0),
                t["Hashing"].as_u64().unwrap_or(0),
                t["Writing"].as_u64().unwrap_or(0)
            );
            Ok(())
        }
        UsersCommand::Export { target, output } => {
            let answer = target.send("GET", "export", None, Vec::new()).await?;
            if answer.status != 200 {
                bail!("{}", report_error(&answer));
            }
            match output {
                Some(path) => std::fs::write(&path, &answer.body)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &answer.body)
                    .context("writing standard output")?,
            }
            Ok(())
        }
    }
}

/// Runs a `roster users` command; a failure is printed on standard error and exits 1.
pub fn main(command: UsersCommand) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("roster: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("roster: {e:#}");
            ExitCode::FAILURE
        }
    }
}
