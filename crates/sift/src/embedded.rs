//! Models compiled into the binary (`include_bytes!`): their pages can be handed back
//! once a model is parsed into its own tables.

/// Hand back to the kernel the pages of an embedded model file that has been read into
/// owned tables (18 MB for the English syntax model, 10 MB for techniques, 7 MB for the
/// attribution tagger): they would otherwise stay resident for the life of the process.
/// Call it only for bytes nothing reads again (each model is parsed once, into a
/// `OnceLock`).
pub(crate) fn release_pages(bytes: &'static [u8]) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let start = bytes.as_ptr() as usize;
        let first = (start + PAGE - 1) & !(PAGE - 1);
        let end = (start + bytes.len()) & !(PAGE - 1);
        if end > first {
            // SAFETY: the range lies inside the executable's read-only data, which nothing
            // writes; MADV_DONTNEED only unmaps those pages from this process, and a later
            // read would fault the same bytes back in from the file.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_DONTNEED);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}
