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

/// Passphrases shorter than this are refused: the sealed key is uploaded beside the
/// backups, so the passphrase is all that stands between a bucket and the data.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Encrypts the recovery key with a passphrase (age's scrypt recipient): the sealed
/// key, base64, for `backup.sealed_keys`.
pub fn seal(key: &RecoveryKey, passphrase: &str) -> Result<String, BackupError> {
    use base64::Engine;
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupError::Passphrase(format!(
            "is too short: use at least {MIN_PASSPHRASE_CHARS} characters, such as four unrelated words"
        )));
    }
    let recipient = age::scrypt::Recipient::new(passphrase.to_owned().into());
    let text = identity_file(key, jiff::Timestamp::now());
    let sealed = age::encrypt(&recipient, text.as_bytes())
        .map_err(|e| BackupError::Encrypt(e.to_string()))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(sealed))
}

impl Identities {
    /// The recovery keys among `sealed` (age files) that `passphrase` opens.
    pub fn unseal(sealed: &[Vec<u8>], passphrase: &str) -> Result<Self, BackupError> {
        let identity = age::scrypt::Identity::new(passphrase.to_owned().into());
        let mut identities = Vec::new();
        for file in sealed {
            let Ok(text) = age::decrypt(&identity, file) else {
                continue;
            };
            let parsed = age::IdentityFile::from_buffer(text.as_slice())
                .ok()
                .and_then(|f| f.into_identities().ok());
            identities.extend(parsed.into_iter().flatten());
        }
        if identities.is_empty() {
            return Err(BackupError::Passphrase(format!(
                "opens none of the {} sealed recovery keys in the destination; check it, or use --identity with the key file",
                sealed.len()
            )));
        }
        Ok(Self(identities))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_passphrase_only() {
        use base64::Engine;
        let key = generate();
        assert!(matches!(
            seal(&key, "too short"),
            Err(BackupError::Passphrase(_))
        ));
        let sealed = seal(&key, "correct horse battery staple").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&sealed)
            .unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("AGE-SECRET-KEY"));

        let opened =
            Identities::unseal(std::slice::from_ref(&bytes), "correct horse battery staple")
                .unwrap();
        assert_eq!(opened.iter().count(), 1);
        let err = Identities::unseal(&[bytes], "wrong horse battery staple").unwrap_err();
        assert!(err.to_string().contains("opens none of the 1"), "{err}");
    }
}
