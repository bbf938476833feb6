//! The values of the global options whose types belong to the layers below
//! (`--api`, `-o`, `--color`): their spellings and help as clap shows them, so
//! that the client and output know no clap (ripgrep's flag layer translates its
//! values the same way). `--key-encoding`'s are beside the KEY parser, in
//! `commands/args.rs`.

use crate::client::Api;
use crate::output::{ColorChoice, OutputFormat};
use clap::ValueEnum;
use clap::builder::PossibleValue;

impl ValueEnum for Api {
    fn value_variants<'a>() -> &'a [Self] {
        &[Api::V2, Api::V3]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Api::V2 => {
                PossibleValue::new("v2").help("etcd's v2 API (/v2/keys): python-etcd's keyspace")
            }
            Api::V3 => PossibleValue::new("v3").help("etcd's v3 API (the HTTP/JSON gateway)"),
        })
    }
}

impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[OutputFormat::Text, OutputFormat::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            OutputFormat::Text => PossibleValue::new("text")
                .help("Human-readable text (etcdctl's -w simple)")
                .alias("simple"),
            OutputFormat::Json => PossibleValue::new("json")
                .help("One JSON document per command (see README for the schema)"),
        })
    }
}

impl ValueEnum for ColorChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            ColorChoice::Auto => PossibleValue::new("auto")
                .help("Colour when stdout is a terminal and NO_COLOR is unset"),
            ColorChoice::Always => PossibleValue::new("always"),
            ColorChoice::Never => PossibleValue::new("never"),
        })
    }
}
