//! AWS-shaped answers for the requests hyper refuses before roster's service sees them.
//!
//! When a request head cannot be parsed (a malformed request line or header field) or
//! is over the limits of [`crate::http`], hyper answers by itself and closes the
//! connection, with no body and no way to change what it writes:
//!
//! ```text
//! HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: <29 bytes>\r\n\r\n
//! ```
//!
//! [`AwsRejections`] wraps the connection's IO. It recognises that response (status 400
//! or 431, perhaps `connection: close`, `content-length: 0`, hyper's `date`, nothing
//! else) at the end of what hyper writes, and writes in its place the error roster's
//! renderer makes ([`roster_wire::error_response`]): the same status,
//! `x-amzn-ErrorType`, a fresh `x-amzn-RequestId`, `content-type` and the JSON
//! `Message`, plus `connection: close`.
//! No response roster renders can be taken for it: every one has a body, and a JSON
//! body never holds a raw line break. On every other write the cost is a comparison
//! of its last four bytes.
//!
//! After a replaced answer the connection is closed gently: the write side is shut
//! down, then what the client is still sending is read and discarded (until it
//! closes, [`LINGER_BYTES`] or [`LINGER_TIME`]). Closing a socket with unread data
//! makes the kernel reset the connection, which can destroy the answer before the
//! client reads it.

use std::future::Future;
use std::io;
use std::ops::Range;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use roster_api::{ApiError, ErrorCode};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tracing::warn;

use crate::http::{MAX_HEADER_FIELDS, MAX_REQUEST_HEAD_BYTES};

/// How long a connection whose request was refused keeps reading before it closes.
pub const LINGER_TIME: Duration = Duration::from_secs(2);
/// How much of the refused request is read and discarded at most before closing.
pub const LINGER_BYTES: usize = 1024 * 1024;

/// The end of hyper's own response: an empty body, then its `date` header...
const BEFORE_DATE: &[u8] = b"\r\ncontent-length: 0\r\ndate: ";
/// ...after the status line and, sometimes, this.
const CONNECTION_CLOSE: &[u8] = b"\r\nconnection: close";
/// `Sun, 06 Nov 1994 08:49:37 GMT`
const DATE_LEN: usize = 29;
const END_OF_HEAD: &[u8] = b"\r\n\r\n";

/// What hyper refused, by the status it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// 400: the request line or a header field is not HTTP/1.1.
    Malformed,
    /// 431: the head is larger than [`MAX_REQUEST_HEAD_BYTES`] or has more than
    /// [`MAX_HEADER_FIELDS`] header fields.
    TooLarge,
}

/// hyper's status lines after the version, and what each means.
const STATUS_LINES: [(&[u8], Refusal); 2] = [
    (b" 400 Bad Request", Refusal::Malformed),
    (b" 431 Request Header Fields Too Large", Refusal::TooLarge),
];

impl Refusal {
    fn error(self) -> ApiError {
        match self {
            Refusal::Malformed => ApiError::new(
                ErrorCode::Serialization,
                "request head: must be HTTP/1.1, a request line `METHOD /target HTTP/1.1` \
                 and header fields `Name: value`",
            ),
            Refusal::TooLarge => ApiError::new(
                ErrorCode::RequestHeaderFieldsTooLarge,
                format!(
                    "request head: must be at most {MAX_REQUEST_HEAD_BYTES} bytes with at most \
                     {MAX_HEADER_FIELDS} header fields"
                ),
            ),
        }
    }
}

/// hyper's own response found at the end of a buffer.
#[derive(Debug, PartialEq, Eq)]
struct Bare {
    /// Where it starts: bytes before it belong to earlier responses.
    start: usize,
    /// The status line, without its line break.
    status_line: Range<usize>,
    date: Range<usize>,
    refusal: Refusal,
}

fn bare_at_end(buf: &[u8]) -> Option<Bare> {
    if !buf.ends_with(END_OF_HEAD) {
        return None;
    }
    let date_end = buf.len() - END_OF_HEAD.len();
    let date_start = date_end.checked_sub(DATE_LEN)?;
    let line_end = date_start.checked_sub(BEFORE_DATE.len())?;
    if &buf[line_end..date_start] != BEFORE_DATE {
        return None;
    }
    // hyper says `connection: close` when keep-alive was already off.
    let line_end = if buf[..line_end].ends_with(CONNECTION_CLOSE) {
        line_end - CONNECTION_CLOSE.len()
    } else {
        line_end
    };
    let (rest, refusal) = STATUS_LINES
        .iter()
        .find(|(rest, _)| buf[..line_end].ends_with(rest))?;
    let start = (line_end - rest.len()).checked_sub(b"HTTP/1.1".len())?;
    if !matches!(
        &buf[start..line_end - rest.len()],
        b"HTTP/1.1" | b"HTTP/1.0"
    ) {
        return None;
    }
    Some(Bare {
        start,
        status_line: start..line_end,
        date: date_start..date_end,
        refusal: *refusal,
    })
}

/// The response written in place of `bare` (the whole of `buf` from `bare.start`).
fn replacement(buf: &[u8], bare: &Bare) -> Vec<u8> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let err = bare.refusal.error();
    let rendered = roster_wire::error_response(&err, &request_id);
    warn!(
        %request_id,
        operation = "-",
        status = rendered.status,
        error = err.code.shape(),
        "request refused before dispatch"
    );
    let mut out = Vec::with_capacity(256 + rendered.body.len());
    out.extend_from_slice(&buf[bare.status_line.clone()]);
    out.extend_from_slice(b"\r\n");
    for (name, value) in &rendered.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("content-length: {}\r\n", rendered.body.len()).as_bytes());
    out.extend_from_slice(b"connection: close\r\ndate: ");
    out.extend_from_slice(&buf[bare.date.clone()]);
    out.extend_from_slice(END_OF_HEAD);
    out.extend_from_slice(&rendered.body);
    out
}

/// A connection's IO that answers the requests hyper refuses as roster's other errors
/// are answered (see the module documentation).
pub struct AwsRejections<T> {
    io: T,
    /// Set once hyper has refused a request head.
    refused: Option<Box<Refused>>,
}

struct Refused {
    answer: Vec<u8>,
    written: usize,
    /// Set once the write side is shut down and the rest of the request is being read.
    linger: Option<Linger>,
}

struct Linger {
    deadline: Pin<Box<tokio::time::Sleep>>,
    discarded: usize,
}

impl<T> AwsRejections<T> {
    pub fn new(io: T) -> Self {
        AwsRejections { io, refused: None }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AwsRejections<T> {
    /// Writes what is left of the replacement answer, if there is one.
    fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(refused) = self.refused.as_deref_mut() else {
            return Poll::Ready(Ok(()));
        };
        while refused.written < refused.answer.len() {
            let n =
                ready!(Pin::new(&mut self.io).poll_write(cx, &refused.answer[refused.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            refused.written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// `chunk` holds hyper's own response from `bare.start`: replaces it and reports
    /// the whole chunk written.
    fn refuse(
        &mut self,
        cx: &mut Context<'_>,
        chunk: &[u8],
        bare: &Bare,
    ) -> Poll<io::Result<usize>> {
        debug_assert_eq!(bare.start, 0);
        self.refused = Some(Box::new(Refused {
            answer: replacement(chunk, bare),
            written: 0,
            linger: None,
        }));
        // What does not fit now is written by the flush hyper makes next.
        if let Poll::Ready(Err(e)) = self.poll_answer(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(chunk.len()))
    }

    /// Reads and discards the rest of a refused request until the client closes, or
    /// [`LINGER_BYTES`] or [`LINGER_TIME`] is reached.
    fn poll_linger(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(refused) = self.refused.as_deref_mut() else {
            return Poll::Ready(Ok(()));
        };
        let linger = match &mut refused.linger {
            Some(linger) => linger,
            None => {
                ready!(Pin::new(&mut self.io).poll_shutdown(cx))?;
                refused.linger.insert(Linger {
                    deadline: Box::pin(tokio::time::sleep(LINGER_TIME)),
                    discarded: 0,
                })
            }
        };
        let mut scratch = [0u8; 4096];
        loop {
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut self.io).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => {
                    linger.discarded += buf.filled().len();
                    if linger.discarded >= LINGER_BYTES {
                        return Poll::Ready(Ok(()));
                    }
                }
                // The client is gone: nothing left to protect.
                Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                Poll::Pending => return linger.deadline.as_mut().poll(cx).map(Ok),
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for AwsRejections<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncWrite for AwsRejections<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_answer(cx))?;
        match bare_at_end(buf) {
            None => Pin::new(&mut this.io).poll_write(cx, buf),
            // Earlier responses first; hyper hands the rest back.
            Some(bare) if bare.start > 0 => {
                Pin::new(&mut this.io).poll_write(cx, &buf[..bare.start])
            }
            Some(bare) => this.refuse(cx, buf, &bare),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_answer(cx))?;
        // hyper's own response is written alone into its head buffer, so it ends the
        // last non-empty slice.
        let Some(last) = bufs.iter().rposition(|b| !b.is_empty()) else {
            return Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        };
        let Some(bare) = bare_at_end(&bufs[last]) else {
            return Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        };
        // Earlier responses first, one slice at a time; hyper hands the rest back.
        if let Some(earlier) = bufs[..last].iter().find(|b| !b.is_empty()) {
            return Pin::new(&mut this.io).poll_write(cx, earlier);
        }
        if bare.start > 0 {
            return Pin::new(&mut this.io).poll_write(cx, &bufs[last][..bare.start]);
        }
        this.refuse(cx, &bufs[last], &bare)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_answer(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_answer(cx))?;
        if this.refused.is_some() {
            ready!(Pin::new(&mut this.io).poll_flush(cx))?;
            return this.poll_linger(cx);
        }
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const DATE: &str = "Wed, 03 Dec 2025 08:08:08 GMT";

    fn bare(status: &str) -> Vec<u8> {
        format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\ndate: {DATE}\r\n\r\n").into_bytes()
    }

    /// A response as roster renders one, with a body.
    const ROSTER_400: &[u8] = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
        x-amzn-errortype: SerializationException\r\ncontent-length: 13\r\n\
        date: Wed, 03 Dec 2025 08:08:08 GMT\r\n\r\n{\"Message\":1}";

    struct Parsed {
        status_line: String,
        headers: Vec<(String, String)>,
        body: serde_json::Value,
    }

    impl Parsed {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }
    }

    fn parse(raw: &[u8]) -> Parsed {
        let text = std::str::from_utf8(raw).expect("utf-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("a head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("status line").to_string();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (k, v) = l.split_once(": ").expect("a header field");
                (k.to_string(), v.to_string())
            })
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .expect("content-length")
            .1
            .parse()
            .expect("a length");
        assert_eq!(body.len(), len, "content-length matches the body");
        Parsed {
            status_line,
            headers,
            body: serde_json::from_str(body).expect("a JSON body"),
        }
    }

    #[test]
    fn recognises_only_hypers_own_responses() {
        let b = bare("431 Request Header Fields Too Large");
        let found = bare_at_end(&b).expect("recognised");
        assert_eq!(found.start, 0);
        assert_eq!(found.refusal, Refusal::TooLarge);
        assert_eq!(&b[found.date.clone()], DATE.as_bytes());

        let found = bare_at_end(&bare("400 Bad Request")).expect("recognised");
        assert_eq!(found.refusal, Refusal::Malformed);

        let closing = format!(
            "HTTP/1.0 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: {DATE}\r\n\r\n"
        );
        let found = bare_at_end(closing.as_bytes()).expect("recognised");
        assert_eq!(
            &closing.as_bytes()[found.status_line.clone()],
            b"HTTP/1.0 400 Bad Request"
        );

        let mut after = ROSTER_400.to_vec();
        after.extend_from_slice(&bare("400 Bad Request"));
        assert_eq!(bare_at_end(&after).map(|f| f.start), Some(ROSTER_400.len()));

        for other in [
            ROSTER_400.to_vec(),
            bare("200 OK"),
            bare("404 Not Found"),
            bare("400 Bad Request")[1..].to_vec(),
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n".to_vec(),
            b"\r\n\r\n".to_vec(),
            Vec::new(),
        ] {
            assert_eq!(
                bare_at_end(&other),
                None,
                "{}",
                String::from_utf8_lossy(&other)
            );
        }
    }

    #[test]
    fn refusals_render_as_roster_errors() {
        assert_eq!(Refusal::Malformed.error().code.status(), 400);
        assert_eq!(Refusal::TooLarge.error().code.status(), 431);
        for (status, shape) in [
            ("400 Bad Request", "SerializationException"),
            (
                "431 Request Header Fields Too Large",
                "RequestHeaderFieldsTooLargeException",
            ),
        ] {
            let b = bare(status);
            let r = parse(&replacement(&b, &bare_at_end(&b).expect("recognised")));
            assert_eq!(r.status_line, format!("HTTP/1.1 {status}"));
            assert_eq!(r.header("x-amzn-errortype"), Some(shape));
            assert_eq!(r.header("content-type"), Some("application/json"));
            assert_eq!(r.header("connection"), Some("close"));
            assert_eq!(r.header("date"), Some(DATE));
            let rid = r.header("x-amzn-requestid").expect("request id");
            assert!(uuid::Uuid::parse_str(rid).is_ok(), "{rid}");
            let message = r.body["Message"].as_str().expect("Message");
            assert!(message.starts_with("request head: must be"), "{message}");
        }
    }

    /// Accepts at most `per_write` bytes per write, and records what it was given.
    struct Trickle {
        per_write: usize,
        written: Vec<u8>,
        shut: bool,
    }

    impl AsyncRead for Trickle {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    impl AsyncWrite for Trickle {
        fn poll_write(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let n = buf.len().min(self.per_write);
            self.written.extend_from_slice(&buf[..n]);
            Poll::Ready(Ok(n))
        }
        fn poll_write_vectored(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            bufs: &[io::IoSlice<'_>],
        ) -> Poll<io::Result<usize>> {
            let mut n = 0;
            for b in bufs {
                let take = b.len().min(self.per_write - n);
                self.written.extend_from_slice(&b[..take]);
                n += take;
            }
            Poll::Ready(Ok(n))
        }
        fn is_write_vectored(&self) -> bool {
            true
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            self.shut = true;
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn earlier_responses_pass_unchanged_and_partial_writes_keep_the_order() {
        for per_write in [1, 7, 100, usize::MAX] {
            let mut io = AwsRejections::new(Trickle {
                per_write,
                written: Vec::new(),
                shut: false,
            });
            let mut stream = ROSTER_400.to_vec();
            stream.extend_from_slice(&bare("400 Bad Request"));
            io.write_all(&stream).await.expect("write");
            io.flush().await.expect("flush");
            // The reader sees end of file at once: the linger ends there.
            io.shutdown().await.expect("shutdown");
            let inner = &io.io;
            assert!(inner.shut, "the write side was shut down");
            assert!(
                inner.written.starts_with(ROSTER_400),
                "per_write {per_write}"
            );
            let r = parse(&inner.written[ROSTER_400.len()..]);
            assert_eq!(r.status_line, "HTTP/1.1 400 Bad Request");
            assert_eq!(r.header("x-amzn-errortype"), Some("SerializationException"));
        }
    }

    #[tokio::test]
    async fn vectored_writes_are_recognised_too() {
        let mut io = AwsRejections::new(Trickle {
            per_write: usize::MAX,
            written: Vec::new(),
            shut: false,
        });
        let b = bare("431 Request Header Fields Too Large");
        let slices = [
            io::IoSlice::new(&[]),
            io::IoSlice::new(&b),
            io::IoSlice::new(&[]),
        ];
        let n = io.write_vectored(&slices).await.expect("write");
        assert_eq!(n, b.len());
        io.flush().await.expect("flush");
        let r = parse(&io.io.written);
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("RequestHeaderFieldsTooLargeException")
        );

        // A response with a body is passed through as it is.
        let mut io = AwsRejections::new(Trickle {
            per_write: usize::MAX,
            written: Vec::new(),
            shut: false,
        });
        let (head, body) = ROSTER_400.split_at(ROSTER_400.len() - 13);
        let n = io
            .write_vectored(&[io::IoSlice::new(head), io::IoSlice::new(body)])
            .await
            .expect("write");
        assert_eq!(n, ROSTER_400.len());
        assert_eq!(io.io.written, ROSTER_400);

        // After earlier responses, a few bytes at a time.
        let mut io = AwsRejections::new(Trickle {
            per_write: 5,
            written: Vec::new(),
            shut: false,
        });
        let mut rest: Vec<Vec<u8>> = vec![head.to_vec(), body.to_vec(), b.clone()];
        while !rest.is_empty() {
            let slices: Vec<io::IoSlice<'_>> = rest.iter().map(|r| io::IoSlice::new(r)).collect();
            let mut n = io.write_vectored(&slices).await.expect("write");
            assert!(n > 0);
            while n > 0 {
                let take = n.min(rest[0].len());
                rest[0].drain(..take);
                n -= take;
                if rest[0].is_empty() {
                    rest.remove(0);
                }
            }
        }
        io.flush().await.expect("flush");
        assert!(io.io.written.starts_with(ROSTER_400));
        let r = parse(&io.io.written[ROSTER_400.len()..]);
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("RequestHeaderFieldsTooLargeException")
        );
    }

    /// hyper itself, over an in-memory connection: what it writes for a refused head
    /// is what this module recognises.
    #[tokio::test]
    async fn hypers_own_answers_are_replaced() {
        use hyper_util::rt::TokioIo;

        let cases: [(&[u8], &str); 3] = [
            (
                b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
                "SerializationException",
            ),
            (
                b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
                "SerializationException",
            ),
            (
                &[
                    0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, b'\r', b'\n',
                ],
                "SerializationException",
            ),
        ];
        let mut many = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADER_FIELDS {
            many.extend_from_slice(format!("x-h{i}: v\r\n").as_bytes());
        }
        many.extend_from_slice(b"\r\n");
        let mut large = b"GET / HTTP/1.1\r\nx-big: ".to_vec();
        large.resize(MAX_REQUEST_HEAD_BYTES + 10, b'a');
        large.extend_from_slice(b"\r\n\r\n");
        let cases = cases.iter().map(|(r, s)| (r.to_vec(), *s)).chain([
            (many, "RequestHeaderFieldsTooLargeException"),
            (large, "RequestHeaderFieldsTooLargeException"),
        ]);

        for (request, shape) in cases {
            let (client, server) = tokio::io::duplex(256 * 1024);
            let conn = crate::http::connection_builder().serve_connection(
                TokioIo::new(AwsRejections::new(server)),
                hyper::service::service_fn(|_req| async {
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(String::from("{}")))
                }),
            );
            let served = tokio::spawn(conn);
            let (mut read, mut write) = tokio::io::split(client);
            write.write_all(&request).await.expect("send");
            write.shutdown().await.expect("close the request side");
            let mut raw = Vec::new();
            read.read_to_end(&mut raw).await.expect("read");
            let _ = served.await.expect("the connection task");
            let r = parse(&raw);
            assert_eq!(
                r.header("x-amzn-errortype"),
                Some(shape),
                "{}",
                String::from_utf8_lossy(&raw)
            );
        }
    }
}
