//! Credit budgets in a replan ("trim to under 100 credits"): the plan shrinks until its estimate
//! fits, fewest changes first.

use super::extract::has_audience;
use super::numbers::CreditLimit;
use super::replan::reject;
use super::steps;
use crate::engine::credits::CostModel;
use crate::model::{Error, Icp};

/// Shrinks the plan until its estimate fits `limit`: fewer rows first, then fewer people, then
/// fewer deep-enrich dimensions.
pub fn trim_to(icp: &mut Icp, limit: CreditLimit, notes: &mut Vec<String>) -> Result<(), Error> {
    let fits = |c: u32| {
        if limit.strict {
            c < limit.credits
        } else {
            c <= limit.credits
        }
    };
    let bound = if limit.strict {
        format!("under {}", limit.credits)
    } else {
        format!("at most {}", limit.credits)
    };
    let current = steps::credits(icp, false);
    if fits(current) {
        notes.push(format!(
            "The plan already costs {current} credits, which is {bound}."
        ));
        return Ok(());
    }
    let mut dropped: Vec<String> = Vec::new();
    loop {
        if let Some(rows) = max_rows_within(icp, &fits) {
            let before = icp.target_rows();
            icp.max_rows = Some(rows);
            let mut note = format!(
                "Trimmed from {before} to {rows} rows to keep the estimate {bound} credits"
            );
            if !dropped.is_empty() {
                note.push_str(&format!(" (and dropped {})", dropped.join(", ")));
            }
            note.push('.');
            notes.push(note);
            return Ok(());
        }
        if icp.roles.len() > 1 {
            dropped.push(icp.roles.drain(1..).collect::<Vec<_>>().join(", "));
        } else if !icp.hiring_for.is_empty()
            && has_audience(&Icp {
                hiring_for: vec![],
                ..icp.clone()
            })
        {
            icp.hiring_for.clear();
            dropped.push("the hiring check".into());
        } else if !icp.team_size.is_empty()
            && has_audience(&Icp {
                team_size: Default::default(),
                ..icp.clone()
            })
        {
            icp.team_size.clear();
            dropped.push("the team-size check".into());
        } else if !icp.technologies.is_empty()
            && has_audience(&Icp {
                technologies: vec![],
                ..icp.clone()
            })
        {
            icp.technologies.clear();
            dropped.push("the tech-stack check".into());
        } else if !icp.roles.is_empty() {
            dropped.push(icp.roles.join(", "));
            icp.roles.clear();
        } else {
            let one = steps::credits(
                &Icp {
                    max_rows: Some(1),
                    ..icp.clone()
                },
                false,
            );
            return Err(reject(format!(
                "Even a one-row plan costs {one} credits, so it can't be {bound} credits. Raise the budget or narrow nothing further."
            )));
        }
    }
}

fn max_rows_within(icp: &Icp, fits: &dyn Fn(u32) -> bool) -> Option<u32> {
    let probe = Icp {
        max_rows: Some(1),
        ..icp.clone()
    };
    let steps = steps::draft(&probe, false).steps;
    let model = CostModel::new(icp, &steps);
    let (mut lo, mut hi) = (1u32, icp.target_rows());
    if !fits(model.credits(u64::from(lo))) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(model.credits(u64::from(mid))) {
            lo = mid
        } else {
            hi = mid - 1
        }
    }
    Some(lo)
}
