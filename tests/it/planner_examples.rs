//! Every example of tests/data/planner-examples.jsonl (docs/planner.md, "Examples and held-out
//! sets") must come out exactly (ICP equality) or be rejected with `plan_rejected`.

use leadline::engine::planner::{PlanRequest, RulesPlanner};
use leadline::model::{ErrorCode, Icp};
use serde_json::Value;

const EXAMPLES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/planner-examples.jsonl"
));

#[test]
fn every_example_matches_exactly() {
    let planner = RulesPlanner::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in EXAMPLES.lines().filter(|l| !l.trim().is_empty()) {
        count += 1;
        let example: Value = serde_json::from_str(line).expect("example line is JSON");
        let prompt = example["prompt"].as_str().expect("prompt");
        let request = PlanRequest {
            prompt: prompt.to_string(),
            ..PlanRequest::default()
        };
        let got = planner.plan_sync(&request);
        if example["rejected"].as_bool() == Some(true) {
            match got {
                Err(e) if e.code == ErrorCode::PlanRejected => {}
                other => failures.push(format!("{prompt}: expected rejection, got {other:?}")),
            }
            continue;
        }
        let expected: Icp = serde_json::from_value(example["icp"].clone()).expect("icp");
        match got {
            Ok(draft) if draft.icp == expected => {
                assert!(draft.steps.len() <= 12);
            }
            Ok(draft) => failures.push(format!(
                "{prompt}\n  expected {}\n  got      {}",
                serde_json::to_string(&expected).unwrap_or_default(),
                serde_json::to_string(&draft.icp).unwrap_or_default()
            )),
            Err(e) => failures.push(format!("{prompt}: rejected: {e}")),
        }
    }
    assert!(count >= 20, "only {count} examples read");
    assert!(
        failures.is_empty(),
        "{} of {count} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
