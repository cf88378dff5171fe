//! Requests sent without the SDK, exactly as written.

/// A response to a request sent with [`raw_json_request`].
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `x-amzn-ErrorType` header, if any.
    pub fn error_type(&self) -> Option<&str> {
        self.header("x-amzn-errortype")
    }

    /// The body parsed as JSON (panics if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends one HTTP/1.1 request with a JSON body (or none) to the server, carrying a
/// syntactically valid SigV4 `Authorization` header for account 123456789012 in
/// us-east-1, which `--auth permissive` (the default) accepts. Unlike the SDK, this
/// sends exactly the members given, including `false` and `0` values the SDK leaves out.
pub async fn raw_json_request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> RawResponse {
    raw_json_request_as(addr, "AKIDEXAMPLE", "us-east-1", method, path, body).await
}

/// [`raw_json_request`] signed with `access_key` (twelve digits: that account) for
/// `region`.
pub async fn raw_json_request_as(
    addr: &str,
    access_key: &str,
    region: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> RawResponse {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let body = body
        .map(|b| serde_json::to_vec(b).expect("serialize body"))
        .unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nX-Amz-Date: 20260210T120000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={access_key}/20260210/{region}/connect/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature={}\r\n\r\n",
        body.len(),
        "0".repeat(64)
    )
    .into_bytes();
    head.extend_from_slice(&body);
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to roster");
    stream.write_all(&head).await.expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read response");
    parse_http_response(&raw)
}

fn parse_http_response(raw: &[u8]) -> RawResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no end of headers in response: {}",
                String::from_utf8_lossy(raw)
            )
        });
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let rest = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    RawResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("chunk size");
        data = &data[eol + 2..];
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// How long [`RawConnection`] waits for the server before failing the test.
const RAW_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// One TCP connection to the server carrying bytes exactly as given, for requests no
/// HTTP client would send (malformed heads, floods of header fields) and for several
/// requests on one kept-alive connection. Responses are read one at a time by their
/// `Content-Length`.
pub struct RawConnection {
    read: tokio::net::tcp::OwnedReadHalf,
    write: tokio::net::tcp::OwnedWriteHalf,
    buf: Vec<u8>,
}

impl RawConnection {
    pub async fn connect(addr: &str) -> RawConnection {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .expect("connect to roster");
        let (read, write) = stream.into_split();
        RawConnection {
            read,
            write,
            buf: Vec::new(),
        }
    }

    /// Writes `bytes` while reading the response, so that a server answering before
    /// it has read everything does not block the test; returns the response, or
    /// `None` if the server closed the connection without one.
    pub async fn exchange(&mut self, bytes: &[u8]) -> Option<RawResponse> {
        use tokio::io::AsyncWriteExt;

        let RawConnection { read, write, buf } = self;
        let write = async {
            // A server that answered and closed may refuse the rest: the answer is
            // what the test is about.
            let _ = write.write_all(bytes).await;
        };
        let read = Self::read_response(read, buf);
        let (_, response) = tokio::time::timeout(RAW_TIMEOUT, async { tokio::join!(write, read) })
            .await
            .expect("roster answered within 10 s");
        response
    }

    /// Whether the server has closed the connection, with nothing more to read.
    pub async fn is_closed(&mut self) -> bool {
        use tokio::io::AsyncReadExt;

        if !self.buf.is_empty() {
            return false;
        }
        let mut scratch = [0u8; 1024];
        match tokio::time::timeout(RAW_TIMEOUT, self.read.read(&mut scratch)).await {
            Ok(Ok(0)) | Ok(Err(_)) => true,
            Ok(Ok(_)) | Err(_) => false,
        }
    }

    async fn read_response(
        read: &mut tokio::net::tcp::OwnedReadHalf,
        buf: &mut Vec<u8>,
    ) -> Option<RawResponse> {
        use tokio::io::AsyncReadExt;

        let mut scratch = [0u8; 16 * 1024];
        loop {
            if let Some((response, used)) = complete_response(buf) {
                buf.drain(..used);
                return Some(response);
            }
            match read.read(&mut scratch).await {
                Ok(0) | Err(_) => {
                    assert!(
                        buf.is_empty(),
                        "the connection closed in the middle of a response: {}",
                        String::from_utf8_lossy(buf)
                    );
                    return None;
                }
                Ok(n) => buf.extend_from_slice(&scratch[..n]),
            }
        }
    }
}

/// The first response in `buf` and the bytes it takes, once it is all there (its
/// length from `Content-Length`, 0 without one).
fn complete_response(buf: &[u8]) -> Option<(RawResponse, usize)> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let length: usize = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.trim().parse().expect("a numeric Content-Length"))
        .unwrap_or(0);
    let end = head_end + length;
    (buf.len() >= end).then(|| (parse_http_response(&buf[..end]), end))
}
