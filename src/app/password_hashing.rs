//! Argon2id password hashing in bounded memory: a fixed number of hashing slots, each
//! with its own 19 MiB of argon2 memory blocks, allocated once and reused by every hash,
//! and a bounded queue in front of them.
//!
//! Letting argon2 allocate its blocks per hash made a burst of wrong passwords grow the
//! server by gigabytes: the allocator keeps freed 19 MiB blocks in per-thread arenas of
//! the blocking pool rather than giving them back. With the blocks owned here, hashing
//! never holds more than `slots × 19 MiB`, whatever the traffic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::Error;

/// OWASP's argon2id setting: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const OUTPUT_LEN: usize = 32;

/// Requests that may wait for a hashing slot per slot; more are turned away at once
/// rather than queued without end.
const WAITING_PER_SLOT: usize = 32;

/// What a sign-in is told when every slot is busy and the queue is full.
const TOO_BUSY: &str =
    "too many people are signing in at this moment; please try again in a few seconds";

pub(super) fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, 1, Some(OUTPUT_LEN))
        .expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The hashing slots, their memory, and the queue in front of them.
#[derive(Debug)]
pub(super) struct PasswordHashing {
    slots: Arc<tokio::sync::Semaphore>,
    /// Memory of slots not hashing at the moment. A slot's memory is made the first time
    /// it is needed, so an idle server holds none, and then kept.
    free_memory: Arc<Mutex<Vec<Vec<Block>>>>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// A request's place in the queue; leaving (done or cancelled) frees it.
struct QueuePlace<'a>(&'a AtomicUsize);

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordHashing {
    pub(super) fn new(slots: usize) -> Self {
        Self {
            slots: Arc::new(tokio::sync::Semaphore::new(slots)),
            free_memory: Arc::new(Mutex::new(Vec::with_capacity(slots))),
            waiting: AtomicUsize::new(0),
            max_waiting: slots.saturating_mul(WAITING_PER_SLOT),
        }
    }

    /// Runs `work` with a slot's memory on the blocking pool, once a slot is free.
    async fn with_memory<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, Error> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let place = QueuePlace(&self.waiting);
        if queued >= self.max_waiting {
            return Err(Error::TooManyRequests {
                message: TOO_BUSY.into(),
                retry_after_secs: 2,
            });
        }
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::internal("waiting for a password hashing slot", e))?;
        drop(place);
        let free_memory = self.free_memory.clone();
        // The slot and its memory go back from the blocking task itself: a request given
        // up while its hash runs (a client gone, a timeout) must neither free the slot
        // early nor drop the memory, or the next hash would allocate 19 MiB afresh.
        tokio::task::spawn_blocking(move || {
            let mut memory = free_memory
                .lock()
                .ok()
                .and_then(|mut free| free.pop())
                .unwrap_or_else(|| vec![Block::new(); argon2().params().block_count()]);
            let result = work(&mut memory);
            if let Ok(mut free) = free_memory.lock() {
                free.push(memory);
            }
            drop(slot);
            result
        })
        .await
        .map_err(|e| Error::internal("the password hashing task failed", e))
    }

    /// A PHC-format argon2id hash of `password` with a new random salt.
    pub(super) async fn hash(&self, password: String) -> Result<String, Error> {
        self.with_memory(move |memory| hash_with(&password, memory))
            .await?
    }

    /// Whether `password` matches `hash`. A hash that cannot be read matches nothing.
    pub(super) async fn verify(&self, password: String, hash: String) -> Result<bool, Error> {
        self.with_memory(move |memory| verify_with(&password, &hash, memory))
            .await?
    }
}

/// Hashes on the calling thread with memory of its own, for command-line tools that
/// run no concurrent requests.
pub(super) fn hash_once(password: &str) -> Result<String, Error> {
    let mut memory = vec![Block::new(); argon2().params().block_count()];
    hash_with(password, &mut memory)
}

fn hash_with(password: &str, memory: &mut [Block]) -> Result<String, Error> {
    let hasher = argon2();
    let salt = Salt::generate();
    let mut out = [0u8; OUTPUT_LEN];
    hasher
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
        .map_err(|e| Error::internal("hashing a password", e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(hasher.params())
            .map_err(|e| Error::internal("writing a password hash", e))?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(|e| Error::internal("writing a password hash", e))?),
    };
    Ok(hash.to_string())
}

fn verify_with(password: &str, hash: &str, memory: &mut [Block]) -> Result<bool, Error> {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return Ok(false);
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str())
        .map_err(|e| Error::internal("reading a stored password hash", e))?;
    let version = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from)
        .map_err(|e| Error::internal("reading a stored password hash", e))?;
    let params = Params::try_from(&parsed)
        .map_err(|e| Error::internal("reading a stored password hash", e))?;
    let Some(memory) = memory.get_mut(..params.block_count()) else {
        return Err(Error::internal_message(
            "a stored password hash needs more memory than a hashing slot holds",
        ));
    };
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, memory)
        .map_err(|e| Error::internal("checking a password", e))?;
    let computed = Output::new(&out).map_err(|e| Error::internal("checking a password", e))?;
    // `Output` compares in constant time.
    Ok(&computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[tokio::test]
    async fn a_hash_made_here_is_checked_here_and_by_argon2_itself() {
        let hashing = PasswordHashing::new(1);
        let hash = hashing.hash("eight888 chars".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hashing
                .verify("eight888 chars".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !hashing
                .verify("eight889 chars".into(), hash.clone())
                .await
                .unwrap()
        );
        argon2()
            .verify_password(b"eight888 chars", hash.as_str())
            .expect("argon2 accepts the hash");
    }

    #[tokio::test]
    async fn hashes_made_by_argon2_itself_are_checked() {
        let stored = argon2()
            .hash_password(b"a long passphrase")
            .unwrap()
            .to_string();
        let hashing = PasswordHashing::new(2);
        assert!(
            hashing
                .verify("a long passphrase".into(), stored.clone())
                .await
                .unwrap()
        );
        assert!(
            !hashing
                .verify("a long passphrase!".into(), stored)
                .await
                .unwrap()
        );
        assert!(
            !hashing
                .verify("x".into(), "not a hash".into())
                .await
                .unwrap()
        );
        assert!(
            hash_once("anything at all")
                .unwrap()
                .starts_with("$argon2id$")
        );
    }

    #[tokio::test]
    async fn a_full_queue_turns_the_next_request_away_at_once() {
        let hashing = PasswordHashing::new(1);
        let _busy = hashing.slots.acquire().await.unwrap();
        hashing.waiting.store(hashing.max_waiting, Ordering::SeqCst);
        let refused = hashing.verify("x".into(), "not a hash".into()).await;
        assert!(
            matches!(
                refused,
                Err(Error::TooManyRequests {
                    retry_after_secs: 2,
                    ..
                })
            ),
            "{refused:?}"
        );
        assert_eq!(hashing.waiting.load(Ordering::SeqCst), hashing.max_waiting);
    }

    #[tokio::test]
    async fn memory_is_made_once_per_slot_and_reused() {
        let hashing = PasswordHashing::new(1);
        for _ in 0..3 {
            hashing.hash("eight888 chars".into()).await.unwrap();
        }
        assert_eq!(hashing.free_memory.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_request_given_up_mid_hash_keeps_its_slot_busy_and_its_memory_pooled() {
        let hashing = Arc::new(PasswordHashing::new(1));
        let (started_tx, started) = tokio::sync::oneshot::channel();
        let (finish, finish_rx) = std::sync::mpsc::channel::<()>();
        let request = tokio::spawn({
            let hashing = hashing.clone();
            async move {
                hashing
                    .with_memory(move |_| {
                        started_tx.send(()).expect("the test waits");
                        finish_rx.recv().expect("the test lets it finish");
                    })
                    .await
            }
        });
        started.await.expect("the hash started");
        request.abort();
        assert!(request.await.unwrap_err().is_cancelled());
        // The hash still runs: its slot is not free for another request yet.
        assert!(hashing.slots.try_acquire().is_err());
        finish.send(()).expect("the hash is waiting");
        let _slot = hashing.slots.acquire().await.expect("the slot comes back");
        assert_eq!(hashing.free_memory.lock().unwrap().len(), 1);
    }
}
