//! #13, table by table: the issue's English weaknesses, its replan cases, the other languages'
//! vocabulary, number words, "not understood" and the clarifying answer. Each row is one
//! prompt (or feedback) and what a person would expect.

use leadline::engine::planner::{PlanRequest, RulesPlanner};
use leadline::model::{ErrorCode, Icp, Range};

/// What a row expects of the ICP it reads.
type Check = fn(&Icp) -> bool;

fn icp(prompt: &str) -> Icp {
    RulesPlanner::new()
        .icp(prompt)
        .unwrap_or_else(|e| panic!("{prompt}: {}", e.message))
}

fn plan(prompt: &str) -> leadline::engine::planner::PlanDraft {
    RulesPlanner::new()
        .plan_sync(&PlanRequest {
            prompt: prompt.into(),
            ..PlanRequest::default()
        })
        .unwrap_or_else(|e| panic!("{prompt}: {}", e.message))
}

#[test]
fn a_hiring_clause_ends_where_the_roles_begin() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "fintech in France hiring product managers & data analysts, Head of Product",
            &["Head of Product"],
            &["Product Manager", "Data Analyst"],
        ),
        (
            "crypto cos in Germany hiring Solidity engineers, founders + Head of BD",
            &["Founder", "Head of Business Development"],
            &["Solidity Engineer"],
        ),
        (
            "cto's at dach healthtech cos 50-200 ppl hiring ml eng",
            &["CTO"],
            &["ML Engineer"],
        ),
        (
            "saas in the uk recruiting data engineers, VP Engineering",
            &["VP Engineering"],
            &["Data Engineer"],
        ),
        (
            "devtools in London with open roles for platform engineers, CTO",
            &["CTO"],
            &["Platform Engineer"],
        ),
    ];
    for (prompt, roles, hiring) in cases {
        let got = icp(prompt);
        assert_eq!(got.roles, *roles, "roles of {prompt}");
        assert_eq!(got.hiring_for, *hiring, "hiring_for of {prompt}");
    }
}

#[test]
fn country_codes_and_names_are_read_in_any_case() {
    let cases = [
        ("fintechs in the uk, CTO", "GB"),
        ("fintechs in the UK, CTO", "GB"),
        ("fintechs in usa, CTO", "US"),
        ("fintechs in the USA, CTO", "US"),
        ("fintechs in the us, CTO", "US"),
        ("fintechs in germany, CTO", "DE"),
        ("fintechs in Germnay, CTO", "DE"),
        ("FINTECHS IN THE UK, CTO", "GB"),
    ];
    for (prompt, code) in cases {
        assert_eq!(icp(prompt).countries, [code], "{prompt}");
    }
}

#[test]
fn number_words_are_read_wherever_a_number_is_accepted() {
    let rows = [
        ("two hundred leads: fintechs in Spain", 200),
        ("one thousand leads: fintechs in Spain", 1000),
        ("ten thousand rows of fintechs in Spain", 10_000),
        ("fifty fintechs in Spain", 50),
        ("a hundred fintechs in Spain", 100),
        (
            "need like fifty heads of growth @ seed stage b2b saas in nordics pls, skip linkedin",
            50,
        ),
        ("two hundred and fifty fintechs in Spain", 250),
        ("cinquante fintechs en Espagne", 50),
        ("quatre-vingts fintechs en Espagne", 80),
        ("deux cents fintechs en Espagne", 200),
        ("fünfzig Fintechs in Spanien", 50),
        ("zweihundertfünfzig Fintechs in Spanien", 250),
        ("treinta y cinco fintechs en España", 35),
        ("doscientas fintechs en España", 200),
    ];
    for (prompt, n) in rows {
        assert_eq!(icp(prompt).max_rows, Some(n), "{prompt}");
    }
    let sizes = [
        (
            "logistics in Spain with more than two hundred employees",
            201,
        ),
        ("logística en España con más de doscientos empleados", 201),
        (
            "Logistik in Spanien mit mehr als zweihundert Mitarbeitern",
            201,
        ),
        ("logistique en Espagne, plus de deux cents salariés", 201),
    ];
    for (prompt, min) in sizes {
        assert_eq!(icp(prompt).employees.min, Some(min), "{prompt}");
    }
    // An article is not a count: "un CTO" / "einen CTO" is one role, not one row.
    assert_eq!(icp("fintechs en France, un CTO").max_rows, None);
    assert_eq!(icp("Fintechs in Frankreich, einen CTO").max_rows, None);
}

#[test]
fn filler_words_never_stick_to_a_role() {
    let cases = [
        (
            "VP Infrastructure pls, ai infra in the usa",
            "VP Infrastructure",
        ),
        ("CTO please, fintech in France", "CTO"),
        ("fintech in France, VP Sales thx", "VP Sales"),
        (
            "fintech in France, like the Head of Growth ok",
            "Head of Growth",
        ),
    ];
    for (prompt, role) in cases {
        assert_eq!(icp(prompt).roles, [role], "{prompt}");
    }
}

#[test]
fn role_abbreviations_and_plain_words() {
    let cases: &[(&str, &[&str])] = &[
        ("HoG at seed saas in the Nordics", &["Head of Growth"]),
        ("restaurants in Austin w/ owners", &["Owner"]),
        (
            "eng managers at healthtech in canada",
            &["Engineering Manager"],
        ),
        ("vp eng at fintech in France", &["VP Engineering"]),
        ("cfo's at insurtech in the uk", &["CFO"]),
    ];
    for (prompt, roles) in cases {
        assert_eq!(icp(prompt).roles, *roles, "{prompt}");
    }
}

#[test]
fn the_issues_other_language_prompts() {
    let fr = icp(
        "Trouve des fintechs en série A en France avec plus de 20 ingénieurs. Je veux le VP Engineering et le Head of Growth, 50 lignes.",
    );
    assert_eq!(fr.funding_stages, ["series_a"]);
    assert_eq!(fr.countries, ["FR"]);
    assert_eq!(fr.roles, ["VP Engineering", "Head of Growth"]);
    assert_eq!(fr.max_rows, Some(50));
    assert_eq!(
        fr.team_size.get("engineering"),
        Some(&Range {
            min: Some(21),
            max: None
        })
    );
    let de = icp(
        "Finde Series-B-SaaS-Firmen in Deutschland mit mehr als 50 Mitarbeitern, den CTO und den Vertriebsleiter",
    );
    assert_eq!(
        (de.industries, de.countries, de.funding_stages),
        (
            vec!["saas".into()],
            vec!["DE".into()],
            vec!["series_b".into()]
        )
    );
    assert_eq!(de.employees.min, Some(51));
    assert_eq!(de.roles, ["CTO", "Head of Sales"]);
    let es = icp("Busca startups de fintech en España, serie A, quiero el CTO");
    assert_eq!(
        (es.countries, es.funding_stages, es.roles),
        (
            vec!["ES".to_string()],
            vec!["series_a".into()],
            vec!["CTO".into()]
        )
    );
}

#[test]
fn places_stages_roles_exclusions_and_recency_in_each_language() {
    let cases: &[(&str, Check)] = &[
        ("fintechs en Allemagne, le CTO", |i| i.countries == ["DE"]),
        ("fintechs au Royaume-Uni, le CTO", |i| i.countries == ["GB"]),
        ("Fintechs in Großbritannien, CTO", |i| {
            i.countries == ["GB"]
        }),
        ("fintechs en Reino Unido, el CTO", |i| i.countries == ["GB"]),
        ("Fintechs in München, CTO", |i| i.cities == ["Munich"]),
        ("Fintech-Startups in der Seed-Runde, CTO", |i| {
            i.funding_stages == ["seed"]
        }),
        ("fintechs en Serie-A, el CTO", |i| {
            i.funding_stages == ["series_a"]
        }),
        ("fintechs en France, le directeur commercial", |i| {
            i.roles == ["Head of Sales"]
        }),
        ("Fintechs in Deutschland, Vertriebsleiter", |i| {
            i.roles == ["Head of Sales"]
        }),
        ("fintechs en España, el director de ventas", |i| {
            i.roles == ["Head of Sales"]
        }),
        ("fintechs en France, le DRH", |i| {
            i.roles == ["Head of People"]
        }),
        ("fintechs en France, le DAF", |i| i.roles == ["CFO"]),
        ("fintechs en France, sans Crunchbase, le CTO", |i| {
            i.excluded_sources == ["crunchbase"]
        }),
        ("Fintechs in Deutschland ohne LinkedIn, CTO", |i| {
            i.excluded_sources == ["linkedin"]
        }),
        ("fintechs en España sin Apollo, el CTO", |i| {
            i.excluded_sources == ["apollo"]
        }),
        (
            "fintechs en France ayant levé des fonds ces 90 derniers jours",
            |i| i.funded_within_days == Some(90),
        ),
        (
            "Fintechs in Deutschland, Finanzierung in den letzten 6 Monaten",
            |i| i.funded_within_days == Some(180),
        ),
        (
            "fintechs en España que levantaron financiación en los últimos 3 meses",
            |i| i.funded_within_days == Some(90),
        ),
        (
            "Logistikfirmen in den USA, die Data Engineers einstellen, COO",
            |i| {
                i.industries == ["logistics"]
                    && i.hiring_for == ["Data Engineer"]
                    && i.roles == ["COO"]
            },
        ),
    ];
    for (prompt, ok) in cases {
        let got = icp(prompt);
        assert!(ok(&got), "{prompt}: {got:?}");
    }
}

#[test]
fn unknown_words_are_reported_not_guessed() {
    let d = plan("Fintechs in France, VP Engineering and the Zorblax Quuxer, 50 rows");
    assert_eq!(d.icp.roles, ["VP Engineering"]);
    assert!(
        d.not_understood.iter().any(|s| s.contains("Zorblax")),
        "{:?}",
        d.not_understood
    );
    // Glue and fillers are understood, not reported.
    let d = plan("need like fifty heads of growth @ seed stage b2b saas in nordics pls");
    assert!(d.not_understood.is_empty(), "{:?}", d.not_understood);
    // No role is made of ordinary words.
    let d = plan("Trouve des fintechs en France. Je veux le VP Engineering, 50 lignes.");
    assert!(
        d.icp.roles.iter().all(|r| !r.contains("Veux")),
        "{:?}",
        d.icp.roles
    );
}

#[test]
fn only_unknown_role_words_get_a_question_in_the_prompts_language() {
    let cases = [
        (
            "fintechs in France, the Blorp Wrangler Manager",
            "Which roles",
        ),
        (
            "Je veux le Blorp Wrangler Manager chez des fintechs en France",
            "Quels postes",
        ),
        (
            "Fintechs in Deutschland, den Blorp-Wrangler-Manager",
            "Welche Rollen",
        ),
        (
            "Fintechs en España, el Blorp Wrangler Manager",
            "Qué puestos",
        ),
    ];
    for (prompt, question) in cases {
        let e = RulesPlanner::new()
            .plan_sync(&PlanRequest {
                prompt: prompt.into(),
                ..PlanRequest::default()
            })
            .expect_err(prompt);
        assert_eq!(e.code, ErrorCode::PlanRejected, "{prompt}");
        assert!(
            e.message.contains(question) && e.message.contains("Blorp"),
            "{prompt}: {}",
            e.message
        );
    }
}

fn base() -> Icp {
    Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        funding_stages: vec!["series_a".into()],
        roles: vec!["CTO".into(), "Head of Growth".into()],
        ..Icp::default()
    }
}

fn replan(feedback: &str) -> Result<Icp, String> {
    RulesPlanner::new()
        .replan_sync(&base(), feedback)
        .map(|d| d.icp)
        .map_err(|e| {
            assert_eq!(e.code, ErrorCode::PlanRejected, "{feedback}");
            e.message
        })
}

#[test]
fn the_issues_replan_cases() {
    let cases: &[(&str, Check)] = &[
        ("drop France, use the UK", |i| i.countries == ["GB"]),
        ("also the uk", |i| i.countries == ["FR", "GB"]),
        ("don't use Crunchbase", |i| {
            i.excluded_sources == ["crunchbase"]
        }),
        ("make it two hundred rows", |i| i.max_rows == Some(200)),
        ("no need for the CTO, get the CEO instead", |i| {
            i.roles == ["Head of Growth", "CEO"]
        }),
        ("Germany instead of France", |i| i.countries == ["DE"]),
        ("only Series B", |i| i.funding_stages == ["series_b"]),
        ("any country", |i| i.countries.is_empty()),
    ];
    for (feedback, ok) in cases {
        let got = replan(feedback).unwrap_or_else(|m| panic!("{feedback}: {m}"));
        assert!(ok(&got), "{feedback}: {got:?}");
        // Nothing the feedback did not name moves.
        assert_eq!(got.industries, ["fintech"], "{feedback}");
    }
}

#[test]
fn a_replan_that_would_widen_or_cannot_be_read_is_a_question() {
    let cases = [
        ("drop France", "worldwide"),
        ("remove fintech", "every industry"),
        ("no CTO and no Head of Growth", "no one would be pulled"),
        ("drop Series A", "every stage"),
        ("hmm, not sure", "couldn't tell"),
        ("asdfgh", "couldn't tell"),
    ];
    for (feedback, says) in cases {
        let m = replan(feedback).expect_err(feedback);
        assert!(m.contains(says), "{feedback}: {m}");
    }
}

#[test]
fn the_plan_card_answers_in_the_prompts_language_and_names_what_was_not_understood() {
    let cases = [
        ("fintechs en France, le CTO", "étapes", None),
        ("Fintechs in Deutschland, den CTO", "Schritte", None),
        ("fintechs en España, el CTO", "pasos", None),
        ("fintechs in France, CTO", "steps", None),
        (
            "fintechs en France, le CTO et le Zorblax Quuxer",
            "étapes",
            Some("Pas compris : "),
        ),
        (
            "fintechs in France, CTO and the Zorblax Quuxer",
            "steps",
            Some("Not understood: "),
        ),
    ];
    for (prompt, word, unread) in cases {
        let card = plan(prompt).card();
        assert!(card.contains(word), "{prompt}: {card}");
        match unread {
            Some(label) => assert!(card.contains(label) && card.contains("Zorblax"), "{card}"),
            None => assert!(!card.contains("Zorblax"), "{card}"),
        }
    }
}

/// The plan object (JSON) carries `not_understood`; `plan --format text` prints it.
#[test]
fn plan_json_and_text_carry_not_understood() {
    use crate::common::cli::{CliEnv, stderr};
    let env = CliEnv::new("");
    let prompt = "Series A fintechs in France, VP Engineering and the Zorblax Quuxer";
    let plan = env.ok_json(&["plan", prompt, "--format", "json"]);
    assert_eq!(plan["icp"]["roles"], serde_json::json!(["VP Engineering"]));
    let unread = plan["not_understood"].as_array().expect("an array");
    assert!(
        unread
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.contains("Zorblax"))),
        "{unread:?}"
    );
    let out = env.run(&["plan", prompt]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Not understood: ") && text.contains("Zorblax"),
        "{text}"
    );
    // A plan that understood everything says nothing about it, and the field is an empty list.
    let plan = env.ok_json(&[
        "plan",
        "Series A fintechs in France, CTO",
        "--format",
        "json",
    ]);
    assert_eq!(plan["not_understood"], serde_json::json!([]));
}

/// Found while testing as a newcomer: a filler of another language must not make an English
/// prompt foreign ("Los Angeles" lost "Los" and the city), and a lone list item "partners" is
/// a role (it was turned into a clarifying question).
#[test]
fn english_place_names_and_list_items_survive_the_language_reader() {
    let got = icp("Media companies in Los Angeles and San Francisco, VP Partnerships");
    assert_eq!(got.cities, ["Los Angeles", "San Francisco"]);
    let got = icp("Empresas de medios en Los Angeles, el CTO");
    assert_eq!(
        (got.cities, got.roles),
        (vec!["Los Angeles".to_string()], vec!["CTO".to_string()])
    );
    let got = icp("Media-Firmen in Los Angeles, CTO");
    assert_eq!(got.cities, ["Los Angeles"]);
    let got = icp("Consulting firms in the Nordics and Benelux with 200+ employees, partners");
    assert_eq!(got.roles, ["Partner"]);
    assert!(
        plan("Media companies in Los Angeles, VP Sales")
            .not_understood
            .is_empty()
    );
}

/// Hostile input: escape sequences are removed whole before reading, and a pasted wall of words
/// is reported in bounded form.
#[test]
fn hostile_prompts_give_clean_bounded_not_understood() {
    let d = plan(
        "fintechs in France, CTO and the \u{1b}]0;pwned\u{7}\u{1b}[31mZorblax\u{1b}[0m Quuxer",
    );
    assert_eq!(d.icp.roles, ["CTO"]);
    assert_eq!(d.not_understood, ["Zorblax Quuxer"]);
    let wall: Vec<String> = (0..300).map(|i| format!("Blorpx{i}")).collect();
    let d = plan(&format!("fintechs in France, CTO, {}", wall.join(", ")));
    assert_eq!(d.not_understood.len(), 21, "{:?}", d.not_understood);
    assert_eq!(d.not_understood[20], "\u{2026} and 280 more");
    let d = plan(&format!(
        "fintechs in France, CTO, {}",
        "Zorblax ".repeat(200)
    ));
    assert!(
        d.not_understood.iter().all(|s| s.chars().count() <= 61),
        "{:?}",
        d.not_understood
    );
}

#[test]
fn replan_feedback_in_other_languages() {
    let cases: &[(&str, Check)] = &[
        ("retire la France, ajoute l'Allemagne", |i| {
            i.countries == ["DE"]
        }),
        ("aussi le Royaume-Uni", |i| i.countries == ["FR", "GB"]),
        ("seulement la série B", |i| {
            i.funding_stages == ["series_b"]
        }),
        ("sans Crunchbase", |i| i.excluded_sources == ["crunchbase"]),
        ("Deutschland statt Frankreich", |i| i.countries == ["DE"]),
        ("auch Spanien", |i| i.countries == ["FR", "ES"]),
        ("nur der CTO", |i| i.roles == ["CTO"]),
        ("quita Francia, añade Alemania", |i| i.countries == ["DE"]),
        ("también el CEO", |i| {
            i.roles == ["CTO", "Head of Growth", "CEO"]
        }),
        ("cinquante lignes", |i| i.max_rows == Some(50)),
    ];
    for (feedback, ok) in cases {
        let got = replan(feedback).unwrap_or_else(|m| panic!("{feedback}: {m}"));
        assert!(ok(&got), "{feedback}: {got:?}");
    }
    // Widening is asked about, in the feedback's language.
    let m = replan("retire la France").expect_err("widens");
    assert!(m.contains("monde entier"), "{m}");
    assert!(!m.contains("worldwide"), "{m}");
}
