//! Starting the server: open the data directory, bind the listener, serve until told
//! to stop. `main` and the tests start the app the same way, through [`App::build`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::app::Crm;
use crate::config::Config;
use crate::store::{Db, StoreError};

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "sarkar.redb";

/// Opens the data directory's database (creating the directory if needed) with the
/// configured cache size, and runs migrations.
pub fn open_database(data_dir: &Path, config: &Config) -> Result<Db, StartError> {
    std::fs::create_dir_all(data_dir).map_err(|source| StartError::DataDir {
        path: data_dir.to_owned(),
        source,
    })?;
    let db = Db::open(
        &data_dir.join(DATABASE_FILE),
        config.database.cache_mb * 1024 * 1024,
    )?;
    Ok(db)
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "cannot listen on {addr}: {source}. Is another program using the port? Choose another with --listen"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A server bound to its address and ready to serve.
#[derive(Debug)]
pub struct App {
    listener: TcpListener,
    crm: Crm,
}

impl App {
    /// Opens the database under `data_dir` and binds `listen` (port 0 picks a free port).
    pub async fn build(
        config: Config,
        data_dir: &Path,
        listen: SocketAddr,
    ) -> Result<Self, StartError> {
        let db = open_database(data_dir, &config)?;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: listen,
                source,
            })?;
        Ok(Self {
            listener,
            crm: Crm::new(db, config),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn crm(&self) -> &Crm {
        &self.crm
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let crm = self.crm.clone();
        let housekeeping = tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
            loop {
                every_hour.tick().await;
                match crm.run(|crm| crm.purge_expired_sessions()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(removed = n, "removed expired sessions"),
                    Err(err) => tracing::warn!(%err, "could not remove expired sessions"),
                }
            }
        });
        let router = crate::web::router(self.crm);
        let result = axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
        housekeeping.abort();
        result
    }
}
