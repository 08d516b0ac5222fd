//! A large leads file written deterministically (the scale tests and benches make their own:
//! no big file is committed).

use std::io::Write;

const CITIES: [(&str, &str); 5] = [
    ("Paris", "France"),
    ("Berlin", "Germany"),
    ("Lyon", "France"),
    ("Madrid", "Spain"),
    ("London", "United Kingdom"),
];

/// `n` Apollo-shaped rows, deterministic: company `Company 000042`, employees spread over
/// 10..5009, five cities in turn.
pub fn write_leads_csv(path: &std::path::Path, n: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(
        f,
        "First Name,Last Name,Title,Company,Email,# Employees,Industry,Website,City,Country,Latest Funding"
    )
    .expect("write");
    let firsts = ["Lena", "Omar", "Ana", "Marc", "Yuki", "Sara", "Tom", "Ines"];
    let titles = ["VP Engineering", "Head of Data", "CTO", "Head of Growth"];
    for i in 0..n {
        let (city, country) = CITIES[i % CITIES.len()];
        let first = firsts[i % firsts.len()];
        writeln!(
            f,
            "{first},Row{i},{},Company {i:06},{}.row{i}@company{i:06}.com,{},Software,https://company{i:06}.com,{city},{country},Series A",
            titles[i % titles.len()],
            first.to_lowercase(),
            10 + (i * 37) % 5000,
        )
        .expect("write");
    }
    f.flush().expect("flush");
}
