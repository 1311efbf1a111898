//! Search at the size the issue names: builds a store of 1,000,000 demo customers,
//! times a full index build, then measures server-side search latency (p50/p99) for
//! names, misspelt names, phone prefixes and last four digits. Run with
//! `cargo bench --bench search` (set `SARKAR_BENCH_CUSTOMERS` for a smaller store).

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::{open_database, rebuild_search_index};
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::Customer;
use sarkar_crm::search::{CustomerSearch, SearchIndex};
use sarkar_crm::store::{PageRequest, Scope, customers};

fn report(label: &str, samples: Vec<(Duration, String)>, hits: usize) {
    let mut worst = samples.clone();
    worst.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
    let worst: Vec<String> = worst
        .iter()
        .take(3)
        .map(|(d, q)| format!("{q:?} {:.1} ms", d.as_secs_f64() * 1e3))
        .collect();
    let mut samples: Vec<Duration> = samples.into_iter().map(|(d, _)| d).collect();
    samples.sort();
    let at =
        |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{label:<46} n={:<5} p50 {:>7.3} ms   p99 {:>7.3} ms   (avg hits {})",
        samples.len(),
        at(0.5),
        at(0.99),
        hits / samples.len()
    );
    println!("    slowest: {}", worst.join(", "));
}

/// Misspells a name the way people do: drops one letter from a longer word.
fn misspell(rng: &mut StdRng, name: &str) -> String {
    name.split(' ')
        .map(|word| {
            if word.len() >= 6 {
                let cut = rng.random_range(2..word.len() - 1);
                format!("{}{}", &word[..cut], &word[cut + 1..])
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> anyhow::Result<()> {
    let count: u32 = std::env::var("SARKAR_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let config = Config::defaults();
    let db = open_database(dir.path(), &config)?;
    let crm = Crm::new(db.clone(), config);
    let started = Instant::now();
    generate(
        &crm,
        &DemoOptions {
            customers: count,
            products: 2_000,
            sales: 0,
            seed: 11,
        },
        false,
    )?;
    println!(
        "{count} demo customers into redb: {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let index = rebuild_search_index(dir.path(), &db, &|_, _| {})?;
    println!(
        "index build of {count} customers + 2,000 products: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let index_bytes: u64 = walk_size(&dir.path().join(sarkar_crm::data_dir::INDEX_DIR));
    println!("index size: {:.0} MB", index_bytes as f64 / 1e6);

    // Real customers to look for, picked at random.
    let store = crm.ensure_store("Sarkar Jewellers")?.id;
    let scope = Scope::store(store);
    let mut rng = StdRng::seed_from_u64(5);
    let sample: Vec<Customer> = db.read(|rx| {
        let mut picked = Vec::new();
        for _ in 0..300 {
            let page = rng.random_range(1..=count / 25);
            let found = customers::list_customers(
                rx,
                &scope,
                &Default::default(),
                Default::default(),
                PageRequest::numbered(page, 1),
            )?;
            picked.extend(found.items);
        }
        Ok::<_, sarkar_crm::store::StoreError>(picked)
    })?;

    let run = |label: &str, queries: Vec<String>, index: &SearchIndex| -> anyhow::Result<()> {
        let mut samples = Vec::new();
        let mut hits = 0;
        for _round in 0..2 {
            for text in &queries {
                let search = CustomerSearch {
                    store,
                    text: text.clone(),
                    status: None,
                    floor: None,
                    tag: None,
                };
                let t = Instant::now();
                let found = index.search_customers(&search, 0, 25)?;
                samples.push((t.elapsed(), text.clone()));
                hits += found.total;
            }
        }
        report(label, samples, hits);
        Ok(())
    };
    run(
        "full name (\"Subhajit Sarkar\")",
        sample.iter().map(|c| c.name.to_string()).collect(),
        &index,
    )?;
    run(
        "surname only (\"Sarkar\")",
        sample
            .iter()
            .map(|c| c.name.as_str().rsplit(' ').next().unwrap_or("").to_owned())
            .collect(),
        &index,
    )?;
    run(
        "misspelt name (\"Subhjit Srkar\")",
        sample
            .iter()
            .map(|c| misspell(&mut rng, c.name.as_str()))
            .collect(),
        &index,
    )?;
    run(
        "phone prefix (\"98300 1\")",
        sample
            .iter()
            .map(|c| format!("{} {}", &c.phone.national()[..5], &c.phone.national()[5..6]))
            .collect(),
        &index,
    )?;
    run(
        "last four digits (\"2345\")",
        sample
            .iter()
            .map(|c| c.phone.national()[6..].to_owned())
            .collect(),
        &index,
    )?;
    run(
        "whole phone (\"+91 98300 12345\")",
        sample.iter().map(|c| c.phone.to_string()).collect(),
        &index,
    )?;
    Ok(())
}

fn walk_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    e.metadata()
                        .map(|m| {
                            if m.is_dir() {
                                walk_size(&e.path())
                            } else {
                                m.len()
                            }
                        })
                        .unwrap_or(0)
                })
                .sum()
        })
        .unwrap_or(0)
}
