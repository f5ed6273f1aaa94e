//! A reader that goes away (`sift bench … | head -0`) must not turn the next write
//! into a panic: sift ends quietly, as Unix filters do.

use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_ends_sift_without_a_panic() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/missile-test.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sift"))
        .args(["bench", "--reps", "1"])
        .arg(&example)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sift runs");
    // Close the only reader before sift prints its table.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("sift ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "sift panicked: {stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}
