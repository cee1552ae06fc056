//! One instantiation of Leptos' effect for the whole page. `Effect::new` compiles its task (an
//! async loop that reruns the closure, with the closure inlined) once per closure type, about
//! 1 KB of wasm each; [`effect`] hands every effect's closure to one `Effect::new` behind `dyn`.

use leptos::prelude::*;

/// Runs `run` as `Effect::new` does: once after the current render, then whenever what it read
/// changes. An effect that needs its previous run's result keeps it in a captured variable.
pub fn effect(run: impl FnMut() + 'static) {
    let mut run: Box<dyn FnMut()> = Box::new(run);
    Effect::new(move |_| run());
}

/// A memo of `compute`, as `Memo::new` makes it. Its recompute closure is compiled once per
/// closure type too (with the closure inlined); behind `dyn`, once per value type.
pub fn memo<T: PartialEq + Send + Sync + 'static>(
    compute: impl Fn() -> T + Send + Sync + 'static,
) -> Memo<T> {
    let compute: Box<dyn Fn() -> T + Send + Sync> = Box::new(compute);
    Memo::new(move |_| compute())
}
