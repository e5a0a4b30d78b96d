//! Related articles ("Tin liên quan"): content similarity over an inverted index.
