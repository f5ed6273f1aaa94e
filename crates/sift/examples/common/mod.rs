//! What the timing examples share: their command line and their corpus.

/// `(texts, rounds)` from `EXAMPLE FOLDER [ROUNDS]`: every `.txt` article in the folder.
pub fn articles_and_rounds() -> (Vec<String>, usize) {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("folder of .txt articles");
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut texts = Vec::new();
    for e in std::fs::read_dir(dir).expect("folder").flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            texts.push(std::fs::read_to_string(e.path()).expect("read"));
        }
    }
    (texts, rounds)
}
