//! Articles that must stay on one side of a validation split. PTC and SemEval-2023
//! repeat articles (the 2023 English set re-annotates PTC's) and tell the same story
//! from several outlets; a model validated on a near-copy of a training article looks
//! better than it will on unseen news. Two articles are near-duplicates when they share
//! at least [`NEAR_DUPLICATE_SHARE`] of the smaller one's word 5-gram shingles; a group
//! is a connected component of that relation (union-find), so a story retold three times
//! is one group. Folds are then dealt group by group.
//!
//! Cost: one pass over the words, an inverted index of shingles, and pair counts only
//! for shingles shared by at most [`MAX_POSTINGS`] articles (boilerplate shared by many
//! articles says nothing about a story).

use std::collections::HashMap;

use sift::train::techniques::linear::SplitMix;

/// Shingle length in words.
const SHINGLE: usize = 5;
/// Share of the smaller article's shingles two near-duplicates have in common.
pub const NEAR_DUPLICATE_SHARE: f64 = 0.3;
/// Shingles found in more articles than this are left out of the pair counts.
const MAX_POSTINGS: usize = 30;

/// Group id per text (ids are dense, `0..groups`, numbered by first text).
pub fn near_duplicate_groups(texts: &[&str]) -> Vec<usize> {
    let shingles: Vec<Vec<u64>> = texts.iter().map(|t| shingles_of(t)).collect();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, set) in shingles.iter().enumerate() {
        for &s in set {
            postings.entry(s).or_default().push(i as u32);
        }
    }
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for docs in postings.values() {
        if docs.len() < 2 || docs.len() > MAX_POSTINGS {
            continue;
        }
        for (k, &a) in docs.iter().enumerate() {
            for &b in &docs[k + 1..] {
                *shared.entry((a, b)).or_insert(0) += 1;
            }
        }
    }
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    let mut pairs: Vec<((u32, u32), u32)> = shared.into_iter().collect();
    pairs.sort_unstable();
    for ((a, b), n) in pairs {
        let smaller = shingles[a as usize]
            .len()
            .min(shingles[b as usize].len())
            .max(1);
        if n as f64 >= NEAR_DUPLICATE_SHARE * smaller as f64 {
            let (ra, rb) = (root(&mut parent, a as usize), root(&mut parent, b as usize));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut ids: HashMap<usize, usize> = HashMap::new();
    (0..texts.len())
        .map(|i| {
            let r = root(&mut parent, i);
            let next = ids.len();
            *ids.entry(r).or_insert(next)
        })
        .collect()
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The distinct hashed word 5-grams of a text (lower-cased alphanumeric words).
fn shingles_of(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .fold(0xCBF2_9CE4_8422_2325u64, |h, c| {
                    (h ^ c as u64).wrapping_mul(0x100_0000_01B3)
                })
        })
        .collect();
    let mut out: Vec<u64> = words
        .windows(SHINGLE)
        .map(|w| {
            w.iter().fold(0u64, |h, &x| {
                h.rotate_left(13) ^ x.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Fold per item: whole groups dealt to folds, groups in a seeded random order, each to
/// the fold with the fewest items so far (ties: the lowest fold).
pub fn grouped_folds(groups: &[usize], folds: usize, seed: u64) -> Vec<usize> {
    let count = groups.iter().copied().max().map_or(0, |g| g + 1);
    let mut size = vec![0usize; count];
    for &g in groups {
        size[g] += 1;
    }
    let mut order: Vec<usize> = (0..count).collect();
    SplitMix::new(seed).shuffle(&mut order);
    let mut fold_of_group = vec![0usize; count];
    let mut load = vec![0usize; folds.max(1)];
    for g in order {
        let f = (0..load.len()).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        fold_of_group[g] = f;
        load[f] += size[g];
    }
    groups.iter().map(|&g| fold_of_group[g]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The minister said on Tuesday that the new bridge over the river \
        would open in March after three years of delays and a budget that doubled.";

    #[test]
    fn a_retold_story_joins_its_original_and_others_stay_apart() {
        let retold = format!("Breaking news. {STORY} Critics were not convinced.");
        let other = "Heavy snow closed schools across the north of the country, and \
                     officials warned drivers to stay at home until the roads are cleared.";
        let chained = format!("{retold} A second report followed on Wednesday.");
        let groups = near_duplicate_groups(&[STORY, other, &retold, &chained]);
        assert_eq!(groups, [0, 1, 0, 0]);
    }

    #[test]
    fn folds_keep_groups_whole_and_balance_sizes() {
        let groups = [0, 0, 0, 1, 2, 3, 4, 4, 5];
        let folds = grouped_folds(&groups, 3, 7);
        for (i, &g) in groups.iter().enumerate() {
            for (j, &h) in groups.iter().enumerate() {
                if g == h {
                    assert_eq!(folds[i], folds[j]);
                }
            }
        }
        let mut load = [0; 3];
        for f in &folds {
            load[*f] += 1;
        }
        assert!(load.iter().all(|&n| (2..=4).contains(&n)), "{load:?}");
    }
}
