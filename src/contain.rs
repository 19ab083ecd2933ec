//! Third-party code that can panic where it should fail (calamine on a corrupt `.xlsx`, as
//! fuzzing found; rust_xlsxwriter when its temporary files cannot be written) runs inside
//! [`contain`]: its panic becomes an error the caller words with the file's name, and is
//! not printed as a crash.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`contain`], so the panic hook stays quiet.
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`; a panic inside it is returned as its message.
pub(crate) fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    let outer = CONTAINED.replace(true);
    let result = catch_unwind(AssertUnwindSafe(work));
    CONTAINED.set(outer);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_owned())
    })
}

/// Wraps the panic hook once: panics inside [`contain`] are not printed.
fn install_quiet_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.get() {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_values_pass_through() {
        assert_eq!(contain(|| 7), Ok(7));
        let error = contain(|| -> u8 { panic!("index out of bounds") }).unwrap_err();
        assert_eq!(error, "index out of bounds");
        let error = contain(|| -> u8 { panic!("{} cells", 3) }).unwrap_err();
        assert_eq!(error, "3 cells");
    }
}
