//! The data directory: the fixed names of what lives in it, and opening its database
//! and search index. The server, the commands, `backup` and `doctor` all find their
//! files through here.
//!
//! ```text
//! DATA_DIR/
//!   sarkar.redb   the database, the source of truth          (DATABASE_FILE)
//!   index/        the search index, rebuildable from it      (INDEX_DIR)
//!   tls/          the box's certificate authority and leaf   (TLS_DIR, written by net::tls)
//!   backups/      the backup state and upload queue          (written by backup)
//! ```

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::search::{SearchError, SearchIndex};
use crate::store::{Db, StoreError};

pub use crate::net::tls::TLS_DIR;

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "sarkar.redb";
/// The search index's directory inside the data directory; disposable.
pub const INDEX_DIR: &str = "index";

/// Why the data directory, its database or its search index could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error("cannot use the data directory {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Makes the data directory (and its parents) if it does not exist yet.
pub fn create(data_dir: &Path) -> Result<(), DataDirError> {
    std::fs::create_dir_all(data_dir).map_err(|source| DataDirError::Create {
        path: data_dir.to_owned(),
        source,
    })
}

/// Opens the data directory's database (creating the directory if needed) with the
/// configured cache size, and runs migrations.
pub fn open_database(data_dir: &Path, config: &Config) -> Result<Db, DataDirError> {
    create(data_dir)?;
    let db = Db::open(
        &data_dir.join(DATABASE_FILE),
        config.database.cache_mb * 1024 * 1024,
        &config.time_zone(),
    )?;
    Ok(db)
}

/// Opens the search index of `data_dir`, catching it up with `db` or rebuilding it.
pub fn open_search_index(
    data_dir: &Path,
    db: &Db,
    progress: &dyn Fn(u64, u64),
) -> Result<SearchIndex, DataDirError> {
    Ok(SearchIndex::open(&data_dir.join(INDEX_DIR), db, progress)?)
}

/// Throws the search index away and builds it again from the database.
pub fn rebuild_search_index(
    data_dir: &Path,
    db: &Db,
    progress: &dyn Fn(u64, u64),
) -> Result<SearchIndex, DataDirError> {
    Ok(SearchIndex::rebuild(
        &data_dir.join(INDEX_DIR),
        db,
        progress,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_makes_the_directory_and_the_database_file_inside_it() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data_dir = dir.path().join("new").join("data");
        let db = open_database(&data_dir, &Config::defaults()).expect("opens");
        drop(db);
        assert!(data_dir.join(DATABASE_FILE).is_file());
    }

    #[test]
    fn a_data_directory_that_is_a_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("not-a-directory");
        std::fs::write(&file, b"x").expect("writes");
        let err = open_database(&file, &Config::defaults()).expect_err("a file is refused");
        assert!(
            matches!(err, DataDirError::Create { .. }),
            "{err:?} is not about the directory"
        );
        assert!(err.to_string().contains("not-a-directory"), "{err}");
    }

    #[test]
    fn the_search_index_lives_in_its_own_folder() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = open_database(dir.path(), &Config::defaults()).expect("opens");
        let index = rebuild_search_index(dir.path(), &db, &|_, _| {}).expect("builds");
        drop(index);
        assert!(dir.path().join(INDEX_DIR).is_dir());
    }
}
