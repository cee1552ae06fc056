//! The edge of the side panel or the dock, to drag to another size (or to move with the arrow
//! keys when focused). The sizes are kept in the layout, within its bounds.

use crate::ui::playground::use_playground;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// How far an arrow key moves the edge, in CSS pixels.
const KEY_STEP: i64 = 24;

/// `vertical`: the side panel's left edge (dragging left widens it); otherwise the dock's top
/// edge (dragging up makes it taller).
#[component]
pub fn Resizer(vertical: bool) -> impl IntoView {
    let layout = use_playground().layout;
    // The pointer's position and the size when the drag began.
    let drag = StoredValue::new(None::<(i64, i64)>);
    let size = move || {
        layout.with(|l| {
            i64::from(if vertical {
                l.side_width
            } else {
                l.dock_height
            })
        })
    };
    let set = move |value: i64| {
        layout.update(|l| {
            if vertical {
                l.resize_side(value);
            } else {
                l.resize_dock(value);
            }
        })
    };
    let position = move |ev: &web_sys::PointerEvent| {
        i64::from(if vertical {
            ev.client_x()
        } else {
            ev.client_y()
        })
    };
    let (min, max) = if vertical {
        crate::ui::layout::SIDE_WIDTH
    } else {
        crate::ui::layout::DOCK_HEIGHT
    };
    view! {
        <div
            class=if vertical { "resizer resizer-side" } else { "resizer resizer-dock" }
            role="separator"
            tabindex="0"
            aria-orientation=if vertical { "vertical" } else { "horizontal" }
            aria-label=if vertical { "Width of the side panel" } else { "Height of the dock" }
            aria-valuemin=min
            aria-valuemax=max
            aria-valuenow=size
            data-testid=if vertical { "side-resizer" } else { "dock-resizer" }
            on:pointerdown=move |ev| {
                drag.set_value(Some((position(&ev), size())));
                let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                if let Some(target) = target {
                    let _ = target.set_pointer_capture(ev.pointer_id());
                }
            }
            on:pointermove=move |ev| {
                if let Some((from, start)) = drag.get_value() {
                    set(start + from - position(&ev));
                }
            }
            on:pointerup=move |_| drag.set_value(None)
            on:pointercancel=move |_| drag.set_value(None)
            on:keydown=move |ev| {
                let step = match (vertical, ev.key().as_str()) {
                    (true, "ArrowLeft") | (false, "ArrowUp") => KEY_STEP,
                    (true, "ArrowRight") | (false, "ArrowDown") => -KEY_STEP,
                    _ => return,
                };
                ev.prevent_default();
                ev.stop_propagation();
                set(size() + step);
            }
        ></div>
    }
}
