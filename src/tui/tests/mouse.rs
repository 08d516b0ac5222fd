//! The mouse: click to focus and select, wheel to scroll.

use super::*;

// ------------------------------------------------------------------ mouse

fn click(s: &mut AppState, column: u16, row: u16) -> Vec<Effect> {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    update(
        s,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

fn wheel(s: &mut AppState, column: u16, row: u16, down: bool) -> Vec<Effect> {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let kind = if down {
        MouseEventKind::ScrollDown
    } else {
        MouseEventKind::ScrollUp
    };
    update(
        s,
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

#[test]
fn clicks_focus_and_select_and_the_wheel_scrolls() {
    let mut s = loaded(1, JobStatus::Succeeded, 100);
    // 140×40: threads on the left, the tab bar on row 0 to their right, content below it.
    let a = crate::tui::layout::areas(ratatui::layout::Rect::new(0, 0, 140, 40)).unwrap();
    // Tabs: " 1 Threads " is 11 wide, then " 2 Chat " … " 5 Leads " last.
    let x5 = a.tabs.x + 11 + 8 + 8 + 11 + 2;
    click(&mut s, x5, a.tabs.y);
    assert_eq!(s.focus, Pane::Leads);
    click(&mut s, a.content.x + 5, a.content.y + 3 + 4);
    assert_eq!(s.leads.selected, 4);
    wheel(&mut s, a.content.x + 5, a.content.y + 10, true);
    assert_eq!(s.leads.selected, 5);
    wheel(&mut s, 5, 5, true);
    assert_eq!((s.focus, s.threads.selected), (Pane::Threads, 1));
    let fx = click(&mut s, 5, 3); // third thread row (the border is row 0)
    assert_eq!(s.threads.selected, 2);
    assert!(requests(&fx).contains(&&Request::Messages(thread_id(3))));
    // Clicking the message box focuses it.
    ch(&mut s, '2');
    click(&mut s, a.content.x + 5, a.content.y + a.content.height - 2);
    assert!(s.chat.input_focused);
}
