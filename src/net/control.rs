//! The console's way into a running server: a Unix socket in the data directory that
//! only the server's own user may open, answering one command per connection. It
//! exists because some state lives only in the server's memory (the sign-in
//! throttle), and the database is locked while the server runs.
//!
//! The protocol is one line in (`let-try-again <username>`), one line out (`ok: …` or
//! `error: …`). Nothing else is accepted, and each connection is bounded in size and
//! time, so a stuck console cannot hold the server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use crate::app::Crm;

/// The socket's file name inside the data directory.
pub const SOCKET_FILE: &str = "control.sock";
/// The longest command line read; usernames are far shorter.
const MAX_LINE: u64 = 256;
/// How long a console has to send its line and read the answer.
const CONVERSATION: Duration = Duration::from_secs(5);

pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET_FILE)
}

/// Binds the socket, replacing a file left by a server that did not stop cleanly (a
/// second server cannot be running: it would have found the database locked).
pub fn bind(data_dir: &Path) -> std::io::Result<UnixListener> {
    let path = socket_path(data_dir);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    let listener = UnixListener::bind(&path)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Answers console commands one connection at a time, until the task is aborted.
pub async fn serve(listener: UnixListener, crm: Crm) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(err) => {
                tracing::warn!(error = %err, "control socket accept failed");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        if tokio::time::timeout(CONVERSATION, converse(stream, &crm))
            .await
            .is_err()
        {
            tracing::warn!("a console connection was too slow and was closed");
        }
    }
}

async fn converse(stream: UnixStream, crm: &Crm) {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = BufReader::new(tokio::io::AsyncReadExt::take(read, MAX_LINE));
    let answer = match reader.read_line(&mut line).await {
        Ok(_) => answer(line.trim_end_matches(['\r', '\n']), crm).await,
        Err(_) => "error: the command was not readable text".to_owned(),
    };
    let _ = write.write_all(format!("{answer}\n").as_bytes()).await;
    let _ = write.shutdown().await;
}

async fn answer(line: &str, crm: &Crm) -> String {
    let Some(username) = line.strip_prefix("let-try-again ") else {
        return format!(
            "error: unknown command {line:?}; the server understands `let-try-again <username>`"
        );
    };
    let username = username.trim().to_owned();
    match crm
        .run(move |crm| crm.let_try_again_from_console(&username))
        .await
    {
        Ok(message) => format!("ok: {message}"),
        Err(err) => format!("error: {err}"),
    }
}

/// What the console prints: the server's answer, sent over the socket in `data_dir`.
pub async fn send(data_dir: &Path, command: &str) -> Result<String, ConsoleError> {
    let path = socket_path(data_dir);
    let mut stream =
        UnixStream::connect(&path)
            .await
            .map_err(|source| ConsoleError::NotRunning {
                path: path.display().to_string(),
                source,
            })?;
    let talk = async {
        stream.write_all(format!("{command}\n").as_bytes()).await?;
        stream.shutdown().await?;
        let mut reply = String::new();
        BufReader::new(stream).read_line(&mut reply).await?;
        Ok::<_, std::io::Error>(reply)
    };
    let reply = tokio::time::timeout(CONVERSATION, talk)
        .await
        .map_err(|_| ConsoleError::NoAnswer)?
        .map_err(ConsoleError::Io)?;
    let reply = reply.trim_end();
    match reply.strip_prefix("ok: ") {
        Some(message) => Ok(message.to_owned()),
        None => Err(ConsoleError::Refused(
            reply.strip_prefix("error: ").unwrap_or(reply).to_owned(),
        )),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error(
        "no server is answering at {path} ({source}); when the server is stopped nobody is slowed down, because it counts wrong passwords in memory and starts with none. Run this as the server's user (for example `sudo -u sarkar-crm`) with the same data directory"
    )]
    NotRunning {
        path: String,
        source: std::io::Error,
    },
    #[error("the server did not answer within 5 seconds")]
    NoAnswer,
    #[error("talking to the server: {0}")]
    Io(std::io::Error),
    #[error("{0}")]
    Refused(String),
}
