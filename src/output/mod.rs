//! Everything that writes output: the staging folder and the files besides HTML pages.

pub mod write;
