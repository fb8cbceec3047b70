//! twirl's end-to-end tests, one binary: the `twirl` program as users run
//! it, over its fixtures and the corpus. Tests that take minutes run only
//! with `TWIRL_SLOW_TESTS=1` (CI sets it; see `common::slow_tests`).

mod common;

mod action;
mod cli;
mod corpus;
mod events_merge;
mod fixtures_cli;
mod fmt;
mod hostile;
mod lsp_robustness;
mod oracle;
mod parity;
mod render_corpus;
mod render_fixes;
mod render_oracle;
mod render_rules;
mod sarif;
mod workflow;
