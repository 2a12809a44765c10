//! Real clients from PyPI (an OAI-PMH harvester, citation and feed parsers) for the tests that
//! prove our formats work with standard tools. `python()` creates `target/py-venv` on first use
//! and installs `tests/python/requirements.txt` into it, again whenever that file changes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

static PYTHON: OnceLock<PathBuf> = OnceLock::new();

/// The venv's interpreter, with the requirements installed.
pub fn python() -> PathBuf {
    PYTHON
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let venv = root.join("target/py-venv");
            let requirements = root.join("tests/python/requirements.txt");
            let wanted = std::fs::read_to_string(&requirements).expect("reading tests/python/requirements.txt");
            let stamp = venv.join("installed-requirements.txt");
            let python = venv.join("bin/python");
            if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
                let made = Command::new("python3").arg("-m").arg("venv").arg(&venv).status();
                assert!(
                    made.is_ok_and(|s| s.success()),
                    "could not create {} (is python3 with venv installed?)",
                    venv.display()
                );
                let installed = Command::new(&python)
                    .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
                    .arg(&requirements)
                    .status();
                assert!(installed.is_ok_and(|s| s.success()), "pip could not install {}", requirements.display());
                std::fs::write(&stamp, &wanted).expect("writing the venv's stamp");
            }
            python
        })
        .clone()
}

/// Runs a Python script (from `tests/python/`) with arguments; returns its stdout, panicking
/// with its stderr when it fails.
pub fn run(script: &str, args: &[&str]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python").join(script);
    let output = Command::new(python()).arg(&path).args(args).output().expect("running python");
    assert!(
        output.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}
