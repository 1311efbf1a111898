//! Starting the server: open the data directory, bind the listener, serve until told
//! to stop. `main` and the tests start it the same way, through [`Server::build`].
//!
//! This is the top of the house: it wires the other modules together, and none of
//! them imports it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum_server::tls_rustls::RustlsConfig;
use tokio::net::TcpListener;

use crate::app::{Crm, Readings, SystemReadings, run_schedule};
use crate::backup::{BackupError, Backups};
use crate::config::Config;
use crate::data_dir::{self, DataDirError};
use crate::net::admission::Gate;
use crate::net::pairing::Pairing;
use crate::net::serve::{self, Port, Timeouts};
use crate::net::tls::{Certificates, TlsError};
use crate::net::{self, tls};
use crate::search::{SearchError, spawn_follower};
use crate::web::metrics::ConnectionCount;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    DataDir(#[from] DataDirError),
    #[error(
        "cannot listen on {addr}: {source}. Is another program using the port? Choose another with --listen"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr} for the HTTP-to-HTTPS redirect: {source}. Is another program using the port? Choose another with --redirect-listen"
    )]
    BindRedirect {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("cannot start backups: {0}")]
    Backup(#[from] BackupError),
    #[error("cannot load the server certificate into TLS: {0}")]
    TlsConfig(std::io::Error),
    #[error("cannot finish an import the last stop interrupted: {0}")]
    Imports(crate::app::Error),
    #[error("cannot tidy the stored files (photos and documents): {0}")]
    Files(crate::app::Error),
}

/// Serving over HTTPS: the certificates, the live TLS configuration (reloaded when the
/// server certificate is made again) and the plain-HTTP redirect port.
struct Https {
    data_dir: PathBuf,
    certificates: Certificates,
    rustls: RustlsConfig,
    redirect: TcpListener,
}

/// A server bound to its address and ready to serve.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    /// The console's socket into this server; `None` where the data directory's path is
    /// too long for a Unix socket or the file system refuses one.
    control: Option<(tokio::net::UnixListener, PathBuf)>,
    crm: Crm,
    https: Option<Https>,
    /// Where the data lives, for the notification scheduler's look at the disk and the
    /// certificate.
    data_dir: PathBuf,
}

impl std::fmt::Debug for Https {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Https")
            .field("names", &self.certificates.names)
            .field("redirect", &self.redirect.local_addr().ok())
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Opens the database under `data_dir`, brings the search index up to date (so the
    /// first request already finds everything), and binds `listen` (port 0 picks a
    /// free port).
    pub async fn build(
        config: Config,
        data_dir: &Path,
        listen: SocketAddr,
    ) -> Result<Self, StartError> {
        let db = data_dir::open_database(data_dir, &config)?;
        let (dir, index_db) = (data_dir.to_owned(), db.clone());
        let index = tokio::task::spawn_blocking(move || {
            data_dir::open_search_index(&dir, &index_db, &|_, _| {})
        })
        .await
        .map_err(|e| {
            DataDirError::Search(SearchError::Io {
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
        let control = match crate::net::control::bind(data_dir) {
            Ok(listener) => Some((listener, crate::net::control::socket_path(data_dir))),
            Err(err) => {
                tracing::warn!(error = %err, dir = %data_dir.display(), "no console socket: `user let-try-again` will not reach this server");
                None
            }
        };
        let config = Arc::new(config);
        let files = tls::CA_FILES.iter().map(|f| f.to_string()).collect();
        let backups = Backups::open(config.clone(), data_dir, db.clone(), files)?;
        let blobs = backups.blobs().clone();
        let crm = Crm::new(db, Config::clone(&config))
            .with_search(Arc::new(index))
            .with_backups(backups)
            .with_uploads(data_dir.join("uploads"))
            .with_files(blobs);
        // An import the last stop interrupted is finished before anyone is served.
        crm.run(|crm| crm.finish_interrupted_imports())
            .await
            .map_err(StartError::Imports)?;
        // No upload runs before the server serves: whatever no record names is a
        // leftover of a stop part-way through one.
        crm.run(|crm| crm.clean_up_files(std::time::Duration::ZERO))
            .await
            .map_err(StartError::Files)?;
        Ok(Self {
            listener,
            control,
            crm,
            https: None,
            data_dir: data_dir.to_owned(),
        })
    }

    /// As [`Server::build`], served over HTTPS on `listen` with the box's own certificate
    /// authority (made on first start, kept in `data_dir/tls`), and plain HTTP on
    /// `redirect` that only redirects to HTTPS and hands out the CA at `/ca.pem`.
    pub async fn build_https(
        config: Config,
        data_dir: &Path,
        listen: SocketAddr,
        redirect: SocketAddr,
    ) -> Result<Self, StartError> {
        let names = tls::wanted_names(&config.server.host_name, &net::lan_addresses());
        let dir = data_dir.to_owned();
        let certificates = tokio::task::spawn_blocking(move || {
            data_dir::create(&dir)?;
            Ok::<_, StartError>(tls::ensure(&dir, &names, jiff::Timestamp::now())?)
        })
        .await
        .map_err(|e| StartError::TlsConfig(std::io::Error::other(e)))??;
        let rustls = RustlsConfig::from_pem(
            certificates.server_pem.clone().into_bytes(),
            certificates.server_key_pem.clone().into_bytes(),
        )
        .await
        .map_err(StartError::TlsConfig)?;
        let mut server = Self::build(config, data_dir, listen).await?;
        let redirect =
            TcpListener::bind(redirect)
                .await
                .map_err(|source| StartError::BindRedirect {
                    addr: redirect,
                    source,
                })?;
        server.https = Some(Https {
            data_dir: data_dir.to_owned(),
            certificates,
            rustls,
            redirect,
        });
        Ok(server)
    }

    /// The plain-HTTP redirect port, when serving over HTTPS.
    pub fn redirect_addr(&self) -> Option<SocketAddr> {
        self.https
            .as_ref()
            .and_then(|h| h.redirect.local_addr().ok())
    }

    /// The CA and server certificate, when serving over HTTPS.
    pub fn certificates(&self) -> Option<&Certificates> {
        self.https.as_ref().map(|h| &h.certificates)
    }

    /// What a tablet needs to join, when serving over HTTPS.
    pub fn pairing(&self) -> Option<Pairing> {
        let https = self.https.as_ref()?;
        Some(Pairing {
            ca_pem: Arc::from(https.certificates.ca_pem.as_str()),
            ca_fingerprint: https.certificates.ca_fingerprint.clone(),
            host_name: self.crm.config().server.host_name.clone(),
            https_port: self.local_addr().port(),
            redirect_port: self.redirect_addr().map(|a| a.port()),
            names: https.certificates.names.clone(),
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
                if let Err(err) = crm.run(|crm| crm.clean_old_uploads()).await {
                    tracing::warn!(error = %crate::web::error::error_chain(&err), "could not clean the uploads folder");
                }
                let grace = crate::app::files::CLEAN_UP_GRACE;
                if let Err(err) = crm.run(move |crm| crm.clean_up_files(grace)).await {
                    tracing::warn!(error = %crate::web::error::error_chain(&err), "could not clean the stored files");
                }
                match crm.run(|crm| crm.purge_expired_sessions()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(removed = n, "removed expired sessions"),
                    Err(err) => tracing::warn!(
                        error = %crate::web::error::error_chain(&err),
                        "could not remove expired sessions"
                    ),
                }
            }
        });
        let (stop, stopped) = tokio::sync::watch::channel(());
        let scheduler = self
            .crm
            .backups()
            .cloned()
            .map(|backups| tokio::spawn(backups.run_schedule(stopped.clone())));
        // Stopped before the search follower, so the follower sees its last write.
        let (stop_notifier, notifier_stopped) = tokio::sync::watch::channel(());
        let notifier = self.crm.config().notifications.scheduler.then(|| {
            let readings = system_readings(self.data_dir.clone());
            tokio::spawn(run_schedule(self.crm.clone(), readings, notifier_stopped))
        });
        let publisher = crate::live::spawn_publisher(
            self.crm.live_hub(),
            self.crm.db().clone(),
            stopped.clone(),
        );
        let follower = self
            .crm
            .search_handle()
            .map(|index| spawn_follower(index, self.crm.db().clone(), stopped));
        // Open event streams never end by themselves: close them when stopping, or the
        // graceful shutdown would wait for every tablet to hang up.
        let hub = self.crm.live_hub();
        let shutdown = async move {
            shutdown.await;
            hub.close();
        };
        let pairing = self.pairing().map(Arc::new);
        let control = self.control.map(|(listener, path)| {
            let task = tokio::spawn(crate::net::control::serve(listener, self.crm.clone()));
            (task, path)
        });
        // One gate for every port, so the caps bound the open files of the whole process.
        let gate = Gate::from_config(&self.crm.config().server);
        let counter = gate.clone();
        let connections: ConnectionCount = Arc::new(move || counter.open_count());
        let timeouts = Timeouts::from_config(&self.crm.config().server);
        let result = match self.https {
            None => {
                let router = crate::web::router(self.crm.clone(), None, Some(connections));
                let port = Port {
                    router,
                    tls: None,
                    gate,
                    timeouts,
                };
                serve::serve(self.listener, port, shutdown).await
            }
            Some(https) => {
                let router = crate::web::router(self.crm.clone(), pairing, Some(connections));
                let port = Port {
                    router,
                    tls: Some(https.rustls.clone()),
                    gate,
                    timeouts,
                };
                serve_https(self.listener, https, self.crm, port, shutdown).await
            }
        };
        housekeeping.abort();
        let _ = housekeeping.await;
        if let Some((task, path)) = control {
            task.abort();
            let _ = task.await;
            let _ = std::fs::remove_file(path);
        }
        // The scheduler finishes the pass in hand; then the follower applies what it wrote.
        stop_notifier.send_replace(());
        if let Some(notifier) = notifier {
            let _ = notifier.await;
        }
        // Wait for the follower, so no handle to the database or index outlives the server.
        stop.send_replace(());
        if let Some(follower) = follower {
            let _ = follower.await;
        }
        let _ = publisher.await;
        // A backup being uploaded is cut off; its snapshot stays queued for the next start.
        if let Some(scheduler) = scheduler {
            scheduler.abort();
            let _ = scheduler.await;
        }
        result
    }
}

/// How the scheduler measures the box: the free space of the data directory's disk and
/// the server certificate's expiry (none when serving plain HTTP).
fn system_readings(data_dir: PathBuf) -> Readings {
    Arc::new(move || {
        let server = data_dir.join(data_dir::TLS_DIR).join("server.pem");
        let certificate_expires = std::fs::read_to_string(&server)
            .ok()
            .and_then(|pem| tls::inspect(&server, &pem).ok())
            .map(|seen| seen.not_after);
        SystemReadings {
            free_disk_bytes: fs4::available_space(&data_dir).ok(),
            certificate_expires,
        }
    })
}

/// Serves HTTPS and the redirect port until `shutdown`, checking every hour that the
/// server certificate still names the box's addresses (a DHCP lease can change them)
/// and making it again when not.
async fn serve_https(
    listener: TcpListener,
    https: Https,
    crm: Crm,
    port: Port,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let https_port = listener.local_addr()?.port();
    let redirect_port = https.redirect.local_addr().ok().map(|a| a.port());
    let ca = Arc::<str>::from(https.certificates.ca_pem.as_str());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        stop.send_replace(true);
    });
    let stopping = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    };
    let redirect_port_served = Port {
        router: crate::net::redirect::router(https_port, ca),
        tls: None,
        ..port.clone()
    };
    let redirect = tokio::spawn(serve::serve(
        https.redirect,
        redirect_port_served,
        stopping(stopped.clone()),
    ));
    let advertiser = if crm.config().server.mdns {
        let (instance, host) = (
            crm.config().store.name.clone(),
            crm.config().server.host_name.clone(),
        );
        match crate::net::mdns::advertise(&instance, &host, https_port, redirect_port) {
            Ok(advertiser) => Some(advertiser),
            Err(err) => {
                // Tablets can still use the address; the console and /pair show it.
                tracing::warn!(%err, "could not advertise on the store network (mDNS)");
                None
            }
        }
    } else {
        None
    };
    let renewer = tokio::spawn(renew_hourly(
        https.data_dir,
        crm.config().server.host_name.clone(),
        https.rustls.clone(),
    ));
    let served = serve::serve(listener, port, stopping(stopped)).await;
    renewer.abort();
    if let Some(advertiser) = advertiser {
        let _ = tokio::task::spawn_blocking(move || advertiser.withdraw()).await;
    }
    let _ = redirect.await;
    served
}

async fn renew_hourly(data_dir: PathBuf, host_name: String, rustls: RustlsConfig) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    every_hour.tick().await;
    loop {
        every_hour.tick().await;
        let (dir, host) = (data_dir.clone(), host_name.clone());
        let renewed = tokio::task::spawn_blocking(move || {
            let names = tls::wanted_names(&host, &crate::net::lan_addresses());
            tls::ensure(&dir, &names, jiff::Timestamp::now())
        })
        .await;
        match renewed {
            Ok(Ok(certificates)) => {
                if let Some(why) = certificates.issued {
                    tracing::info!(why, names = ?certificates.names, "made a new server certificate");
                    let loaded = rustls
                        .reload_from_pem(
                            certificates.server_pem.into_bytes(),
                            certificates.server_key_pem.into_bytes(),
                        )
                        .await;
                    if let Err(err) = loaded {
                        tracing::error!(%err, "could not load the new server certificate");
                    }
                }
            }
            Ok(Err(err)) => tracing::error!(%err, "could not check the server certificate"),
            Err(err) => tracing::error!(%err, "the certificate check stopped"),
        }
    }
}
