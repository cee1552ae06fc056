//! One Leptos component per file.

pub mod app;
pub mod charts;
pub mod choice;
pub mod cluster;
pub mod consumer_form;
pub mod consumer_panel;
pub mod controls;
pub mod event_log;
pub mod form_error;
pub mod generator_form;
pub mod line_chart;
pub mod partition_chart;
pub mod partition_log;
pub mod produce_form;
pub mod producer_form;
pub mod producers;
pub mod record_inspector;
pub mod reset_offsets_form;
pub mod select_field;
pub mod text_field;
pub mod theme_toggle;
pub mod topic_config_form;
pub mod topic_form;
pub mod topic_view;
