//! How long argon2id takes for N passwords, on one thread and on every core: the
//! floor under a CONNECT_MANAGED bulk import's time.
//!
//!     cargo run --release -p roster-domain --example hash_rate -- 1000

use std::time::Instant;

use roster_domain::password::Password;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let passwords: Vec<Password> = (0..n)
        .map(|i| Password::parse(&format!("Secret{i:04}x")).expect("a valid password"))
        .collect();

    let sample = n.min(50);
    let started = Instant::now();
    for p in &passwords[..sample] {
        std::hint::black_box(p.hash());
    }
    let one = started.elapsed() / sample as u32;
    println!(
        "one thread: {:.1} ms per hash ({sample} hashes)",
        one.as_secs_f64() * 1000.0
    );

    let started = Instant::now();
    std::thread::scope(|s| {
        for chunk in passwords.chunks(n.div_ceil(cores)) {
            s.spawn(move || {
                for p in chunk {
                    std::hint::black_box(p.hash());
                }
            });
        }
    });
    println!(
        "{cores} threads: {n} hashes in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}
