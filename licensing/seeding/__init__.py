"""A ministry-sized world loaded through bulk paths, for the benchmarks (`seed_bench`)."""
