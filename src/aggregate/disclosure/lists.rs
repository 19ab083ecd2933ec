//! One list of items per key, laid out one after another in a single buffer: the groups
//! holding each cell, the rows touching each coordinate. A check sets up thousands of such
//! indexes (one per question and measure of every municipality), and a vector per key cost
//! an allocation or three for every cell.

/// For each key `0..keys`, a list of items.
#[derive(Debug, Clone)]
pub(super) struct Lists {
    /// Where each key's items start in `items`; one more entry marks the end.
    starts: Vec<usize>,
    items: Vec<usize>,
}

impl Lists {
    /// The lists of `keys` keys, each holding the items `pairs` pairs with it as
    /// `(key, item)`, in the order `pairs` gives them. `pairs` is read twice: once to count,
    /// once to fill.
    pub(super) fn of<I>(keys: usize, pairs: impl Fn() -> I) -> Lists
    where
        I: Iterator<Item = (usize, usize)>,
    {
        // Read with `for_each`, not a `for` loop: a flattened iterator is much cheaper driven
        // from inside (a `for` loop asks it for one pair at a time).
        let mut starts = vec![0; keys + 1];
        pairs().for_each(|(key, _)| starts[key + 1] += 1);
        for key in 0..keys {
            starts[key + 1] += starts[key];
        }
        let mut next = starts.clone();
        let mut items = vec![0; starts[keys]];
        pairs().for_each(|(key, item)| {
            items[next[key]] = item;
            next[key] += 1;
        });
        Lists { starts, items }
    }

    /// Every list with only the items `keep` accepts, in the same order.
    pub(super) fn filtered(&self, keep: impl Fn(usize) -> bool) -> Lists {
        let mut starts = Vec::with_capacity(self.starts.len());
        let mut items = Vec::with_capacity(self.items.len());
        starts.push(0);
        for key in 0..self.keys() {
            items.extend(self.get(key).iter().copied().filter(|&item| keep(item)));
            starts.push(items.len());
        }
        Lists { starts, items }
    }

    /// How many keys there are.
    pub(super) fn keys(&self) -> usize {
        self.starts.len() - 1
    }

    /// The items of `key`; none for a key past the last.
    pub(super) fn get(&self, key: usize) -> &[usize] {
        match (self.starts.get(key), self.starts.get(key + 1)) {
            (Some(&start), Some(&end)) => &self.items[start..end],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_holds_its_items_in_the_order_given() {
        let pairs = [(2, 7), (0, 1), (2, 3), (0, 5)];
        let lists = Lists::of(4, || pairs.iter().copied());
        assert_eq!(lists.keys(), 4);
        assert_eq!(lists.get(0), &[1, 5]);
        assert_eq!(lists.get(1), &[] as &[usize]);
        assert_eq!(lists.get(2), &[7, 3]);
        assert_eq!(lists.get(3), &[] as &[usize]);
        assert_eq!(lists.get(9), &[] as &[usize]);
        let odd = lists.filtered(|item| item % 2 == 1);
        assert_eq!(odd.get(0), &[1, 5]);
        assert_eq!(odd.get(2), &[7, 3]);
        let large = lists.filtered(|item| item > 4);
        assert_eq!(large.get(0), &[5]);
        assert_eq!(large.get(2), &[7]);
    }
}
