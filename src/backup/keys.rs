//! age keys: the owner's recovery key (`backup keygen`), the public recipients the box
//! encrypts to, and reading an identity file back for `verify` and `restore`.

use std::path::Path;

use age::secrecy::ExposeSecret;

use super::BackupError;
use crate::config::BackupRecipient;

/// A new recovery key: the secret for the owner to keep off the box, and its public
/// half for the configuration.
#[derive(Debug)]
pub struct RecoveryKey {
    pub secret: String,
    pub public: String,
}

pub fn generate() -> RecoveryKey {
    let identity = age::x25519::Identity::generate();
    RecoveryKey {
        secret: identity.to_string().expose_secret().to_owned(),
        public: identity.to_public().to_string(),
    }
}

/// The text of an identity file: a comment saying what it is, then the secret key, as
/// `age -d -i FILE` also reads it.
pub fn identity_file(key: &RecoveryKey, created: jiff::Timestamp) -> String {
    format!(
        "# Sarkar CRM backup recovery key, made {created}\n# public key: {}\n{}\n",
        key.public, key.secret
    )
}

/// An age encryptor to every configured recipient.
pub(super) fn encryptor(recipients: &[BackupRecipient]) -> Result<age::Encryptor, BackupError> {
    let recipients: Vec<age::x25519::Recipient> =
        recipients.iter().map(BackupRecipient::to_age).collect();
    if recipients.is_empty() {
        return Err(BackupError::NoRecipients);
    }
    age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| BackupError::Encrypt(e.to_string()))
}

/// The identities in an identity file (`AGE-SECRET-KEY-1…` lines, `#` comments).
pub struct Identities(Vec<Box<dyn age::Identity + Send + Sync>>);

impl std::fmt::Debug for Identities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identities({} keys)", self.0.len())
    }
}

impl Identities {
    pub fn from_file(path: &Path) -> Result<Self, BackupError> {
        let bad = |message: String| BackupError::Identity {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let file = age::IdentityFile::from_buffer(text.as_bytes()).map_err(|_| {
            bad("it does not hold an age secret key (a line starting AGE-SECRET-KEY-1)".into())
        })?;
        let identities = file.into_identities().map_err(|e| bad(e.to_string()))?;
        if identities.is_empty() {
            return Err(bad(
                "it holds no key: it should have the AGE-SECRET-KEY-1… line that `backup keygen` printed"
                    .into(),
            ));
        }
        Ok(Self(identities))
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &dyn age::Identity> {
        self.0.iter().map(|i| i.as_ref() as &dyn age::Identity)
    }
}
