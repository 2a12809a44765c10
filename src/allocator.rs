//! What this service asks of glibc's allocator, in one place. Both are single C calls that no
//! crate wraps (a different allocator would be a larger change, and mimalloc, tried, doubled
//! the resident memory); on other allocators or C libraries they do nothing.

/// Sets glibc's malloc for a long-lived server, unless its own environment variables
/// (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`) say otherwise. Call before the runtime
/// starts its threads.
///
/// - At most two arenas: glibc gives each thread that contends for one an arena of its own, up
///   to eight per core, each keeping what its thread freed; two cores' worth of workers need no
///   more.
/// - A fixed mmap threshold of 256 KB: by default glibc raises it to the size of any large
///   block freed (the index's load frees blocks of tens of megabytes), after which every block
///   below that comes from the heap and what requests free stays resident.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: sets tuning parameters before any other thread allocates.
    unsafe {
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        }
    }
}

/// Hands the heap's free pages back to the system after a full load of the index or the
/// learning of the written words: each reads and parses the whole library, and glibc keeps what
/// they freed as resident memory (about 10 MB at 100,000 resources).
pub fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases free memory; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}
