//! Allocation-free lower-case hashing of words: the key of every hashed feature and
//! of the cue lexicons.

/// Build-hasher for maps keyed by [`lower_hash`] values: the keys are already
/// hashes, so Fx's one multiply (rustc-hash) replaces SipHash, which dominated the
/// per-token lookups.
pub type PreHashed = rustc_hash::FxBuildHasher;

/// 64-bit FxHash-style mixing.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(0x517C_C1B7_2722_0A95)
}

pub(super) const HASH_SEED: u64 = 0xCBF2_9CE4_8422_2325;

/// Hash of a string, lower-cased on the fly (no allocation).
pub fn lower_hash(s: &str) -> u64 {
    lower_hash_finish(lower_hash_extend(HASH_SEED, s))
}

#[inline]
pub(super) fn lower_hash_finish(h: u64) -> u64 {
    mix(h, 0xFF)
}

/// Feeds `s`, lower-cased, into the running hash `h` (ASCII without the Unicode tables).
#[inline]
pub(super) fn lower_hash_extend(mut h: u64, s: &str) -> u64 {
    if s.is_ascii() {
        for &b in s.as_bytes() {
            h = mix(h, b.to_ascii_lowercase() as u64);
        }
        return h;
    }
    for c in s.chars() {
        h = lower_hash_char(h, c);
    }
    h
}

#[inline]
pub(super) fn lower_hash_char(mut h: u64, c: char) -> u64 {
    if c.is_ascii() {
        return mix(h, c.to_ascii_lowercase() as u64);
    }
    for l in c.to_lowercase() {
        // Typographic apostrophes count as ASCII ones.
        let l = if l == '’' { '\'' } else { l };
        h = mix(h, l as u64);
    }
    h
}
