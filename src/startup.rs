//! Starting the server: open the data directory, bind the listener, serve until told
//! to stop. `main` and the tests start the app the same way, through [`App::build`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::app::Crm;
use crate::config::Config;
use std::sync::Arc;

use crate::search::{SearchError, SearchIndex, spawn_follower};
use crate::store::{Db, StoreError};

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "sarkar.redb";
/// The search index's directory inside the data directory; disposable.
pub const INDEX_DIR: &str = "index";

/// Opens the search index of `data_dir`, catching it up with `db` or rebuilding it.
pub fn open_search_index(
    data_dir: &Path,
    db: &Db,
    progress: &dyn Fn(u64, u64),
) -> Result<SearchIndex, StartError> {
    Ok(SearchIndex::open(&data_dir.join(INDEX_DIR), db, progress)?)
}

/// Throws the search index away and builds it again from the database.
pub fn rebuild_search_index(
    data_dir: &Path,
    db: &Db,
    progress: &dyn Fn(u64, u64),
) -> Result<SearchIndex, StartError> {
    Ok(SearchIndex::rebuild(
        &data_dir.join(INDEX_DIR),
        db,
        progress,
    )?)
}

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
    #[error(transparent)]
    Search(#[from] SearchError),
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
    /// Opens the database under `data_dir`, brings the search index up to date (so the
    /// first request already finds everything), and binds `listen` (port 0 picks a
    /// free port).
    pub async fn build(
        config: Config,
        data_dir: &Path,
        listen: SocketAddr,
    ) -> Result<Self, StartError> {
        let db = open_database(data_dir, &config)?;
        let (dir, index_db) = (data_dir.to_owned(), db.clone());
        let index =
            tokio::task::spawn_blocking(move || open_search_index(&dir, &index_db, &|_, _| {}))
                .await
                .map_err(|e| {
                    StartError::Search(SearchError::Io {
                        path: data_dir.display().to_string(),
                        source: std::io::Error::other(e),
                    })
                })??;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: listen,
                source,
            })?;
        Ok(Self {
            listener,
            crm: Crm::new(db, config).with_search(Arc::new(index)),
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

    /// Serves until `shutdown` resolves, then finishes the requests in flight. The
    /// search index follows the database's change log meanwhile.
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
        let (stop, stopped) = tokio::sync::watch::channel(());
        let follower = self
            .crm
            .search_handle()
            .map(|index| spawn_follower(index, self.crm.db().clone(), stopped));
        let router = crate::web::router(self.crm);
        let result = axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
        housekeeping.abort();
        let _ = housekeeping.await;
        // Wait for the follower, so no handle to the database or index outlives the server.
        stop.send_replace(());
        if let Some(follower) = follower {
            let _ = follower.await;
        }
        result
    }
}
