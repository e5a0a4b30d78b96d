//! Passwords: the rule they must meet, Argon2id hashes (PHC strings, OWASP's default
//! parameters: 19 MiB, 2 passes, 1 lane) and their verification.
//!
//! Passwords are hashed in NFC, so that "mật khẩu" typed on a keyboard that sends
//! decomposed letters (macOS, some Vietnamese input methods) matches the same password typed
//! elsewhere.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, Params};
use std::sync::OnceLock;

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// `Ok` when `password` may be used; otherwise why not, in Vietnamese (the person who
/// chooses it reads it).
pub fn check_password(password: &str) -> Result<(), String> {
    let chars = crate::text::nfc(password).chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD_CHARS} ký tự (mới có {chars})."
        ));
    }
    Ok(())
}

/// The Argon2id hash of `password` with a fresh random salt, as a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH`).
pub(super) fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(crate::text::nfc(password).as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// A stored hash, checked: a PHC string of Argon2 (id, i or d) with parameters Argon2
/// accepts, a salt and a hash.
pub(super) fn parse_hash(text: &str) -> Result<PasswordHash, String> {
    let hash = PasswordHash::new(text).map_err(|e| format!("not a password hash ({e})"))?;
    if !matches!(hash.algorithm.as_str(), "argon2id" | "argon2i" | "argon2d") {
        return Err(format!(
            "`{}` is not an Argon2 hash; set the password with `trangtin user passwd`",
            hash.algorithm.as_str()
        ));
    }
    if hash.salt.is_none() || hash.hash.is_none() {
        return Err("the hash has no salt or no hash part".into());
    }
    Params::try_from(&hash).map_err(|e| format!("bad Argon2 parameters ({e})"))?;
    Ok(hash)
}

/// True when `password` matches `hash`. With no hash (an unknown user name) the password is
/// verified against a dummy hash with the default parameters and `false` returned, so that
/// an unknown name costs the same time as a known one.
pub(super) fn verify(password: &str, hash: Option<&PasswordHash>) -> bool {
    let password = crate::text::nfc(password);
    let argon2 = Argon2::default();
    match hash {
        Some(hash) => argon2.verify_password(password.as_bytes(), hash).is_ok(),
        None => {
            if let Some(dummy) = dummy_hash() {
                let _ = argon2.verify_password(password.as_bytes(), dummy);
            }
            false
        }
    }
}

/// The hash an unknown name is verified against: of a random password, made once.
fn dummy_hash() -> Option<&'static PasswordHash> {
    static DUMMY: OnceLock<Option<PasswordHash>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let text = hash(&super::random_token()).ok()?;
            PasswordHash::new(&text).ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let text = hash("mật khẩu dài").unwrap();
        assert!(
            text.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{text}"
        );
        let parsed = parse_hash(&text).unwrap();
        assert!(verify("mật khẩu dài", Some(&parsed)));
        assert!(!verify("mật khẩu dà", Some(&parsed)));
        assert!(!verify("", Some(&parsed)));
    }

    #[test]
    fn the_same_password_gets_a_new_salt_each_time() {
        assert_ne!(hash("0123456789").unwrap(), hash("0123456789").unwrap());
    }

    #[test]
    fn decomposed_letters_match_the_composed_password() {
        let composed = "mật khẩu dài";
        let decomposed: String =
            unicode_normalization::UnicodeNormalization::nfd(composed).collect();
        assert_ne!(composed, decomposed);
        let parsed = parse_hash(&hash(composed).unwrap()).unwrap();
        assert!(verify(&decomposed, Some(&parsed)));
    }

    #[test]
    fn an_unknown_user_is_verified_against_a_real_hash_of_the_same_cost() {
        // Not timed (tests are no benchmarks): the dummy that an unknown name is verified
        // against is a real Argon2id hash with the parameters of new hashes.
        let dummy = dummy_hash().expect("a dummy hash");
        let real = parse_hash(&hash("0123456789").unwrap()).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(
            Params::try_from(dummy).unwrap(),
            Params::try_from(&real).unwrap()
        );
        assert!(!verify("0123456789", None));
    }

    #[test]
    fn short_passwords_are_refused_in_vietnamese() {
        let err = check_password("ngắn").unwrap_err();
        assert!(err.contains("ít nhất 10 ký tự"), "{err}");
        assert!(err.contains("mới có 4"), "{err}");
        // Counted in characters, not bytes: 10 letters with diacritics are enough.
        assert!(check_password("ưươơêêôôââ").is_ok());
        assert!(check_password("123456789").is_err());
        assert!(check_password("1234567890").is_ok());
    }

    #[test]
    fn stored_hashes_are_checked() {
        assert!(parse_hash("hunter2").is_err());
        assert!(parse_hash("").is_err());
        let bcrypt_like = "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        let err = parse_hash(bcrypt_like).unwrap_err();
        assert!(err.contains("not an Argon2 hash"), "{err}");
        let no_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ";
        assert!(parse_hash(no_hash).is_err());
        let bad_params = "$argon2id$v=19$m=1,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        assert!(parse_hash(bad_params).is_err());
    }
}
