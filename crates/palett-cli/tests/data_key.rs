//! The data key file as the operator meets it: created once, refused when
//! others can read it, never silently replaced when lost.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn palett(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_palett"))
        .args(args)
        .env_remove("PALETT_DATA_KEY")
        .env_remove("PALETT_DATA_KEY_FILE")
        .env_remove("PALETT_DATABASE_URL")
        .env("PALETT_DATA_DIR", dir)
        .output()
        .expect("run palett");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("palett-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[test]
fn the_key_file_is_private_and_never_replaced() {
    let dir = fresh_dir("key");
    let key = dir.join("data.key");
    let (ok, out) = palett(&dir, &["migrate"]);
    assert!(ok, "{out}");
    let mode = std::fs::metadata(&key)
        .expect("key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&key).expect("key");

    // Readable by the group: refused, with the fix.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let (ok, out) = palett(&dir, &["migrate"]);
    assert!(!ok, "{out}");
    assert!(out.contains("chmod 600"), "{out}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (ok, out) = palett(&dir, &["migrate"]);
    assert!(ok, "{out}");

    // Lost: start-up fails and no new key takes its place.
    std::fs::remove_file(&key).expect("remove");
    let (ok, out) = palett(&dir, &["migrate"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("is missing") && out.contains("restore"),
        "{out}"
    );
    assert!(!key.exists(), "no new key was written");
    // Restored, it works again.
    std::fs::write(&key, &text).expect("restore");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (ok, out) = palett(&dir, &["migrate"]);
    assert!(ok, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
