//! Attribution end to end: the seed article (when ../shared/data is present),
//! sift's own English and Russian test articles, and speaker resolution.

use sift::{Report, SourceType};

fn span_text(r: &Report, start: usize, end: usize) -> String {
    r.text.chars().skip(start).take(end - start).collect()
}

fn unattributed_texts(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.kind == "unattributed")
        .map(|f| span_text(r, f.evidence[0].start, f.evidence[0].end))
        .collect()
}

#[test]
fn seed_article_meets_the_issue() {
    let Some(path) = sift_eval::shared_or_skip("articles/burevestnik-test-report.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("readable");
    let r = sift::analyze_text(&text);
    let peskov: Vec<_> = r
        .attributions
        .iter()
        .filter(|a| a.speaker.as_deref() == Some("Dmitry Peskov"))
        .collect();
    assert_eq!(peskov.len(), 2, "{:#?}", r.attributions);
    for a in &peskov {
        assert_eq!(a.source_type, SourceType::NamedPerson);
        assert_eq!(a.role.as_deref(), Some("Press Secretary"));
    }
    assert_eq!(
        peskov[1].source.as_ref().map(|s| s.text.as_str()),
        Some("he")
    );
    assert_eq!(peskov[1].cue.text, "acknowledged");
    for source in ["Russian officials", "Analysts"] {
        let a = r
            .attributions
            .iter()
            .find(|a| a.source.as_ref().is_some_and(|s| s.text == source))
            .unwrap_or_else(|| panic!("no attribution to {source}"));
        assert_eq!(a.source_type, SourceType::Vague, "{source}");
    }
    let flagged = unattributed_texts(&r);
    assert!(
        flagged
            .iter()
            .any(|t| t.starts_with("The test, which adhered strictly")),
        "{flagged:#?}"
    );
    let s = r.sourcing.expect("profile");
    assert!(s.by_source_type["vague"] >= 2);
    assert!(s.named_sources.contains(&"Dmitry Peskov".to_string()));
    assert!(
        !s.multiple_sides,
        "only Russian voices are quoted: {:?}",
        s.sides
    );
}

#[test]
fn own_english_article_works_like_the_seed() {
    let r = sift::analyze_text(include_str!("../data/articles/en-missile-test.txt"));
    let carter: Vec<_> = r
        .attributions
        .iter()
        .filter(|a| a.speaker.as_deref() == Some("Helen Carter"))
        .collect();
    assert_eq!(carter.len(), 2);
    assert_eq!(carter[1].source.as_ref().unwrap().text, "she");
    assert_eq!(carter[0].role.as_deref(), Some("Government spokeswoman"));
    let vague = r
        .attributions
        .iter()
        .filter(|a| a.source_type == SourceType::Vague)
        .count();
    assert_eq!(vague, 2);
    let flagged = unattributed_texts(&r);
    assert!(flagged
        .iter()
        .any(|t| t.starts_with("The torpedo, which complied")));
    assert!(flagged
        .iter()
        .any(|t| t.starts_with("This demonstration of power")));
}

#[test]
fn own_russian_article_works_like_the_seed() {
    let r = sift::analyze_text(include_str!("../data/articles/ru-missile-test.txt"));
    assert!(r.language.is_russian());
    let peskov: Vec<_> = r
        .attributions
        .iter()
        .filter(|a| a.speaker.as_deref() == Some("Дмитрий Песков"))
        .collect();
    assert_eq!(peskov.len(), 3, "{:#?}", r.attributions);
    assert!(peskov
        .iter()
        .all(|a| a.source_type == SourceType::NamedPerson));
    assert_eq!(
        peskov[0].role.as_deref(),
        Some("Пресс-секретарь президента")
    );
    assert_eq!(peskov[2].source.as_ref().unwrap().text, "он");
    let vague: Vec<String> = r
        .attributions
        .iter()
        .filter(|a| a.source_type == SourceType::Vague)
        .filter_map(|a| a.source.as_ref().map(|s| s.text.clone()))
        .collect();
    assert_eq!(vague, vec!["Российские официальные лица", "Эксперты"]);
    let org = r
        .attributions
        .iter()
        .find(|a| a.cue.text == "По данным")
        .expect("по данным");
    assert_eq!(org.source_type, SourceType::NamedOrg);
    let flagged = unattributed_texts(&r);
    assert!(flagged
        .iter()
        .any(|t| t.starts_with("Ракета, которая строго")));
}

#[test]
fn speaker_resolution_on_own_articles() {
    let mut ok = 0;
    let mut n = 0;
    for (name, checks) in sift_eval::speakers::run_all() {
        for c in &checks {
            n += 1;
            if c.speaker_ok() && c.type_ok() {
                ok += 1;
            } else {
                eprintln!("{name}: {c:?}");
            }
        }
    }
    assert!(n >= 40);
    assert!(ok * 100 >= n * 95, "{ok}/{n}");
}

/// The hand-checked speaker sets on real articles (docs/annotation/attribution.md) through
/// the shipped pipeline: accuracy must not fall below what docs/benchmarks.md reports
/// (EN 190/224, RU 135/160), less a margin of about two rows. Skips without ../shared/data.
#[test]
fn checked_speakers_on_real_articles_hold_their_figures() {
    let Some(data) = sift_eval::shared_data_dir() else {
        eprintln!(
            "skipping the checked speaker sets: ../shared/data not found (set SIFT_SHARED_DATA)"
        );
        return;
    };
    let pipeline = sift::Pipeline::default();
    for ((name, tsv), floor) in sift_eval::speakers::CHECKED_SETS.iter().zip([0.895, 0.895]) {
        let rows = sift_eval::speakers::parse_checked(tsv).unwrap();
        let outcomes = sift_eval::speakers::score_checked(&rows, |path| {
            sift_eval::speakers::shared_article_report(&pipeline, &data, path)
        });
        let ok = outcomes.iter().filter(|o| o.ok()).count();
        let accuracy = ok as f64 / outcomes.len() as f64;
        eprintln!("{name}: {ok}/{} = {accuracy:.3}", outcomes.len());
        assert!(rows.len() >= 150, "{name}: {} rows", rows.len());
        assert!(
            accuracy >= floor,
            "{name}: {ok}/{} below {floor}",
            outcomes.len()
        );
    }
}
