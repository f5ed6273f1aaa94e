//! Debug helper: print quantities and findings for text on stdin.
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let doc = sift::Document::from_text(&s);
    let qs = sift::train::quantities::extract(&doc);
    for q in &qs {
        println!("{:>4}-{:<4} {:?} v={} lo={:?} hi={:?} {} unit={:?} si={:?} {:?} approx={} bound={:?} date={:?} wd={:?}", q.start, q.end, q.text, q.value, q.low, q.high, q.dimension, q.unit, q.si_value, q.si_unit, q.approx, q.bound, q.date, q.weekday);
    }
    for f in sift::train::consistency::check(&doc, &qs, None) {
        println!(
            "FINDING {} {:?} {} | {}",
            f.code,
            f.severity,
            f.message,
            f.computation.unwrap_or_default()
        );
        for e in &f.evidence {
            println!("   «{}»", doc.slice(*e));
        }
    }
}
