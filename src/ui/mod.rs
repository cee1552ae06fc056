//! The Leptos UI: components send commands to the simulation and animate what it reports.

pub mod browser;
pub mod canvas;
pub mod canvas_backend;
pub mod captions;
pub mod clock;
pub mod components;
pub mod embed;
pub mod inspect;
pub mod intro;
pub mod layout;
pub mod marks;
pub mod moves;
pub mod page_query;
pub mod palette;
pub mod playground;
pub mod reactive;
pub mod redraw;
pub mod session;
pub mod shortcuts;
pub mod theme;
pub mod tokens;
pub mod virtual_log;

pub use components::app::App;
