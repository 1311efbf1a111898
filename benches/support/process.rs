//! What the benchmarks that load a server in its own process share: starting it and
//! learning its address, and reading its resident memory.

use std::process::Stdio;

use anyhow::Context;
use tokio::io::AsyncBufReadExt;

/// Starts a server that prints `… http://address` as its first line, and answers the
/// child (killed when dropped) and its base address. The rest of its output is read and
/// dropped, so it never blocks on a full pipe.
pub async fn start_printing_address(
    command: &mut tokio::process::Command,
) -> anyhow::Result<(tokio::process::Child, String)> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = tokio::io::BufReader::new(child.stdout.take().context("stdout")?).lines();
    let first = lines
        .next_line()
        .await?
        .context("the server prints its address")?;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .context("an address")?
        .trim_end_matches('/')
        .to_owned();
    Ok((child, base))
}

/// The process's resident memory in kB, from /proc/<pid>/status.
pub fn rss_kb(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS line")
}
