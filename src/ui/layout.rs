//! The page's regions: the clock bar on top, the playground in the middle, a side panel with tabs
//! (Lessons, Actions, Inspector) and a bottom dock with tabs (Console, Events, Charts). Which tab
//! each shows, whether it is open and how big it is, kept between visits as one short line of
//! text in localStorage (`Layout::to_text` / `from_text`).

/// A tab of the side panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideTab {
    Lessons,
    Actions,
    Inspector,
}

/// A tab of the bottom dock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DockTab {
    Console,
    Events,
    Charts,
    Metrics,
}

impl SideTab {
    pub const ALL: [SideTab; 3] = [SideTab::Lessons, SideTab::Actions, SideTab::Inspector];

    /// Its name in the address (`panels=`) and in the page's test ids.
    pub fn name(self) -> &'static str {
        match self {
            SideTab::Lessons => "lessons",
            SideTab::Actions => "actions",
            SideTab::Inspector => "inspector",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SideTab::Lessons => "Lessons",
            SideTab::Actions => "Actions",
            SideTab::Inspector => "Inspector",
        }
    }
}

impl DockTab {
    pub const ALL: [DockTab; 4] = [
        DockTab::Console,
        DockTab::Events,
        DockTab::Charts,
        DockTab::Metrics,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DockTab::Console => "console",
            DockTab::Events => "events",
            DockTab::Charts => "charts",
            DockTab::Metrics => "metrics",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DockTab::Console => "Console",
            DockTab::Events => "Events",
            DockTab::Charts => "Charts",
            DockTab::Metrics => "Metrics",
        }
    }
}

/// The side panel's width and the dock's height are kept within these bounds (CSS pixels); the
/// page also keeps the playground at least a third of the window.
pub const SIDE_WIDTH: (u32, u32) = (240, 720);
pub const DOCK_HEIGHT: (u32, u32) = (120, 640);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub side_open: bool,
    pub side_tab: SideTab,
    pub side_width: u32,
    pub dock_open: bool,
    pub dock_tab: DockTab,
    pub dock_height: u32,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            side_open: true,
            side_tab: SideTab::Actions,
            side_width: 380,
            dock_open: true,
            dock_tab: DockTab::Events,
            dock_height: 200,
        }
    }
}

impl Layout {
    /// Shows `tab`, opening the side panel.
    pub fn show_side(&mut self, tab: SideTab) {
        self.side_open = true;
        self.side_tab = tab;
    }

    /// Shows `tab`, opening the dock.
    pub fn show_dock(&mut self, tab: DockTab) {
        self.dock_open = true;
        self.dock_tab = tab;
    }

    /// Sets the side panel's width, within `SIDE_WIDTH`.
    pub fn resize_side(&mut self, width: i64) {
        self.side_width = clamp(width, SIDE_WIDTH);
    }

    pub fn resize_dock(&mut self, height: i64) {
        self.dock_height = clamp(height, DOCK_HEIGHT);
    }

    /// One line for localStorage: `side=actions,open,380;dock=events,open,200`.
    pub fn to_text(&self) -> String {
        let state = |open: bool| if open { "open" } else { "closed" };
        format!(
            "side={},{},{};dock={},{},{}",
            self.side_tab.name(),
            state(self.side_open),
            self.side_width,
            self.dock_tab.name(),
            state(self.dock_open),
            self.dock_height
        )
    }

    /// Reads `to_text`'s line; anything it cannot read keeps the default (the text comes from
    /// the browser's storage, which anything on the page's origin may have written).
    pub fn from_text(text: &str) -> Layout {
        let mut layout = Layout::default();
        for part in text.split(';') {
            let Some((region, values)) = part.split_once('=') else {
                continue;
            };
            let values: Vec<&str> = values.split(',').collect();
            let [tab, state, size] = values.as_slice() else {
                continue;
            };
            let open = *state != "closed";
            let size = size.parse::<i64>().ok();
            match region {
                "side" => {
                    if let Some(tab) = SideTab::ALL.into_iter().find(|t| t.name() == *tab) {
                        layout.side_tab = tab;
                    }
                    layout.side_open = open;
                    if let Some(size) = size {
                        layout.resize_side(size);
                    }
                }
                "dock" => {
                    if let Some(tab) = DockTab::ALL.into_iter().find(|t| t.name() == *tab) {
                        layout.dock_tab = tab;
                    }
                    layout.dock_open = open;
                    if let Some(size) = size {
                        layout.resize_dock(size);
                    }
                }
                _ => {}
            }
        }
        layout
    }
}

fn clamp(value: i64, (min, max): (u32, u32)) -> u32 {
    value.clamp(i64::from(min), i64::from(max)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_survives_as_a_line_of_text() {
        let mut layout = Layout::default();
        layout.show_dock(DockTab::Console);
        layout.show_side(SideTab::Lessons);
        layout.side_open = false;
        layout.resize_side(500);
        layout.resize_dock(10_000);
        assert_eq!(layout.dock_height, DOCK_HEIGHT.1);
        let text = layout.to_text();
        assert_eq!(text, "side=lessons,closed,500;dock=console,open,640");
        assert_eq!(Layout::from_text(&text), layout);
    }

    #[test]
    fn what_cannot_be_read_keeps_the_default() {
        for text in [
            "",
            "side=kitchen,open,x",
            "<img src=x>",
            "dock=console,open,-5",
            ";;=,,",
        ] {
            let layout = Layout::from_text(text);
            assert!(
                (SIDE_WIDTH.0..=SIDE_WIDTH.1).contains(&layout.side_width)
                    && (DOCK_HEIGHT.0..=DOCK_HEIGHT.1).contains(&layout.dock_height),
                "{text}: {layout:?}"
            );
        }
        assert_eq!(Layout::from_text("side=kitchen,open,x"), Layout::default());
        assert_eq!(
            Layout::from_text("dock=console,open,-5").dock_height,
            DOCK_HEIGHT.0
        );
    }
}
