//! Stable identifiers derived from content, so fixtures without IDs and generated orgs get the same IDs on
//! every run and every platform (std's hasher is not stable across Rust versions, so we use FNV-1a + SplitMix64).

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// FNV-1a over the parts, with a separator byte so ("ab","c") and ("a","bc") differ.
pub(crate) fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// SplitMix64: a tiny, well-distributed, portable generator used to expand a hash into ID characters.
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A base62 string of `len` characters (Sigma's member IDs look like this, 29 characters long).
pub(crate) fn base62_id(len: usize, parts: &[&str]) -> String {
    let mut rng = SplitMix::new(stable_hash(parts));
    (0..len)
        .map(|_| BASE62[(rng.next_u64() % 62) as usize] as char)
        .collect()
}

/// A UUID-formatted ID (Sigma's organization, team and document IDs are UUIDs).
pub(crate) fn uuid_id(parts: &[&str]) -> String {
    let mut rng = SplitMix::new(stable_hash(parts));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(base62_id(29, &["m", "a"]), base62_id(29, &["m", "a"]));
        assert_ne!(base62_id(29, &["m", "a"]), base62_id(29, &["m", "b"]));
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
        assert_eq!(uuid_id(&["x"]).len(), 36);
    }
}
