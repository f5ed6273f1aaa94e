//! The syntax API on real sentences with the committed models.

use sift::{Case, Deprel, Document, Gender, Number, Tense, Upos, VerbForm};

fn word<'a>(doc: &'a Document, form: &str) -> (usize, &'a sift::SyntaxWord) {
    let syntax = doc.syntax();
    syntax
        .words
        .iter()
        .enumerate()
        .find(|(_, w)| doc.slice(w.span) == form)
        .unwrap_or_else(|| panic!("no word {form}"))
}

#[test]
fn english_sentence_has_tags_lemmas_and_a_tree() {
    let doc = Document::from_text("The minister said that the new plans would not work.");
    let syntax = doc.syntax();
    assert!(syntax.warnings.is_empty(), "{:?}", syntax.warnings);
    assert_eq!(syntax.sentences.len(), 1);
    let (said, w) = word(&doc, "said");
    assert_eq!((w.upos, w.lemma.as_str()), (Upos::Verb, "say"));
    assert_eq!(w.feats.tense(), Some(Tense::Past));
    assert_eq!(w.head, None);
    assert_eq!(w.deprel, Deprel::Root);
    let (_, minister) = word(&doc, "minister");
    assert_eq!((minister.upos, minister.head), (Upos::Noun, Some(said)));
    assert_eq!(minister.deprel, Deprel::Nsubj);
    let (plans, p) = word(&doc, "plans");
    assert_eq!(
        (p.lemma.as_str(), p.feats.number()),
        ("plan", Some(Number::Plur))
    );
    let (_, work) = word(&doc, "work");
    assert_eq!(work.head, Some(said));
    assert!(syntax
        .children(said)
        .any(|c| syntax.words[c].span == minister.span));
    assert_eq!(
        syntax.words[plans]
            .head
            .map(|h| doc.slice(syntax.words[h].span)),
        Some("work")
    );
}

#[test]
fn russian_sentence_has_case_gender_and_a_tree() {
    let doc = Document::from_text("Министр обороны заявил журналистам, что армия отступила.");
    let syntax = doc.syntax();
    assert!(syntax.warnings.is_empty(), "{:?}", syntax.warnings);
    let (said, w) = word(&doc, "заявил");
    assert_eq!((w.upos, w.lemma.as_str()), (Upos::Verb, "заявить"));
    assert_eq!(w.feats.gender(), Some(Gender::Masc));
    assert_eq!(w.feats.verb_form(), Some(VerbForm::Fin));
    assert_eq!(w.head, None);
    let (_, minister) = word(&doc, "Министр");
    assert_eq!(minister.feats.case(), Some(Case::Nom));
    assert_eq!(
        (minister.head, minister.deprel),
        (Some(said), Deprel::Nsubj)
    );
    let (_, defence) = word(&doc, "обороны");
    assert_eq!(
        (defence.lemma.as_str(), defence.feats.case()),
        ("оборона", Some(Case::Gen))
    );
    let (_, journalists) = word(&doc, "журналистам");
    assert_eq!(journalists.feats.case(), Some(Case::Dat));
    assert_eq!(journalists.lemma, "журналист");
}

#[test]
fn english_clitics_are_words_with_char_spans() {
    let doc = Document::from_text("He didn't say it.");
    let syntax = doc.syntax();
    let forms: Vec<&str> = syntax.words.iter().map(|w| doc.slice(w.span)).collect();
    assert_eq!(forms, ["He", "did", "n't", "say", "it", "."]);
    assert_eq!(syntax.words[2].lemma, "not");
    assert_eq!(syntax.word_at(4), Some(1));
    assert_eq!(syntax.words_in(sift::Span::new(3, 8)).len(), 2);
}

#[test]
fn empty_and_odd_input_does_not_panic() {
    for text in ["", "   ", "!!!", "1234", "a", "Ж", &"word ".repeat(3000)] {
        let doc = Document::from_text(text);
        let syntax = doc.syntax();
        assert_eq!(syntax.sentences.len(), doc.sentences.len());
        for w in &syntax.words {
            assert!(w.head.is_none_or(|h| h < syntax.words.len()));
        }
    }
}
