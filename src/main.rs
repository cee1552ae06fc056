//! Mounts the playground into the page.

fn main() {
    leptos::mount::mount_to_body(kafka_playground::ui::App);
}
